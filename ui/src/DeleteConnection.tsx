// Deleting a saved connection: the confirmation names what goes with it (its own secrets) and
// what stays (the shared secrets it uses), and a production one asks for its name to be typed;
// once deleted, the notice offers Undo for a few seconds. The secret slots come from the whole
// record, read when Delete is chosen (the list's rows carry none).
import { useState } from "preact/hooks";
import type { SecretSlot } from "./gen/bindings";
import { api, type Row } from "./api";
import { Confirm } from "./Modal";
import { isProduction } from "./list";
import type { NoticeState } from "./Notice";

function DeleteConnection({ row, secrets, onCancel, onConfirm }: { row: Row; secrets: SecretSlot[]; onCancel: () => void; onConfirm: () => void }) {
  const owned = secrets.filter((s) => s.source === "owned");
  return (
    <Confirm title={`Delete ${row.name}?`} confirm="Delete" danger onCancel={onCancel}
      requireText={isProduction(row.env_tag) ? row.name : undefined} onConfirm={onConfirm}>
      <p>{row.target}</p>
      {owned.length > 0 && <p>Its saved {owned.map((s) => s.field.replace(/_/g, " ")).join(", ")} will be deleted with it.</p>}
      {secrets.map((s) => s.source === "shared" && <p>It uses the shared secret “{s.name}”, which stays.</p>)}
      <p class="muted">Programs that use it by name (patchbay exec {row.name}) will stop working. You can undo this for a few seconds.</p>
    </Confirm>
  );
}

/** `ask(row)` opens the confirmation; `dialog` is it (or null); `gone(row)` is told of a deletion. */
export function useDeletion({ refresh, setNotice, fail, gone }: {
  refresh: () => Promise<unknown>; setNotice: (n: NoticeState) => void; fail: (e: unknown) => void; gone: (r: Row) => void;
}) {
  const [deleting, setDeleting] = useState<{ row: Row; secrets: SecretSlot[] } | null>(null);
  const ask = async (r: Row) => {
    if (r.team) return;
    try {
      setDeleting({ row: r, secrets: (await api.get(r.kind, r.name)).secrets });
    } catch (e) {
      fail(e);
    }
  };
  const remove = async (r: Row) => {
    setDeleting(null);
    try {
      const deleted = await api.remove(r.kind, r.name);
      gone(r);
      const undo = async () => {
        try {
          await api.undoDelete(deleted.undo);
          setNotice({ text: `Restored ${deleted.name}` });
        } catch (e) {
          fail(e);
        }
        await refresh();
      };
      setNotice({ text: `Deleted ${deleted.name}`, undo: { run: undo, until: Date.now() + deleted.undo_seconds * 1000 } });
      await refresh();
    } catch (e) {
      fail(e);
    }
  };
  const dialog = deleting && <DeleteConnection {...deleting} onCancel={() => setDeleting(null)} onConfirm={() => remove(deleting.row)} />;
  return { ask, dialog };
}
