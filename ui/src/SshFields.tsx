// A database's SSH tunnel in the connection form: off by default; on, the bastion (host, port,
// user) and its login — a private key (a file, or the key pasted and saved encrypted, with its
// passphrase), a password, or the SSH agent (offering only the key named, when one is).
import type { Fields, FormState } from "./form";
import type { SshHop } from "./gen/bindings";

const jumps = (f: Fields): SshHop[] => JSON.parse(String(f.ssh_jump || "[]"));
import type { Renderers } from "./StoreFields";

export function sshFields(s: FormState, f: Fields, { text, select, secret, check }: Renderers) {
  if (s.kind !== "database") return null;
  const auth = String(f.ssh_auth || "key");
  return (
    <>
      <div class="field checks ssh-toggle">{check("ssh_on", "Through an SSH bastion")}</div>
      {f.ssh_on === true && (
        <>
          {jumps(f).length > 0 && (
            <small class="help ssh-jumps" data-testid="ssh-jumps">
              Through jump host{jumps(f).length > 1 ? "s" : ""} {jumps(f).map((h) => `${h.user}@${h.host}:${h.port}`).join(" → ")} first (changed with patchbay edit --ssh-jump)
            </small>
          )}
          {text("ssh_host", "SSH host", { placeholder: "bastion.example.com" })}
          {text("ssh_port", "SSH port", { placeholder: "22" })}
          {text("ssh_user", "SSH user")}
          {select("ssh_auth", "SSH login", [["key", "Private key"], ["password", "Password"], ["agent", "SSH agent"]])}
          {auth === "password" && secret("ssh_password")}
          {auth === "key" && (
            <>
              {text("ssh_key_file", "Key file", { placeholder: "/home/you/.ssh/id_ed25519 — or paste the key below" })}
              {!f.ssh_key_file && secret("ssh_private_key")}
              {secret("ssh_passphrase")}
            </>
          )}
          {auth === "agent" &&
            text("ssh_key_file", "Only this agent key (its file or .pub)", { placeholder: "empty: the agent's keys, at most three" })}
        </>
      )}
    </>
  );
}
