// "Code snippet…": the connection's Python snippets from the core, shown before copying. Their
// code reads every credential from the environment `patchbay exec NAME` sets, so it holds none;
// Copy still goes through Rust (the clipboard is the app's, not the web view's).
import { useEffect, useState } from "preact/hooks";
import type { Snippet } from "./gen/bindings";
import { api, errorText, type Row } from "./api";
import type { Copied } from "./gen/desk-bindings";
import { Confirm } from "./Modal";

export function SnippetDialog({ row, onClose, onCopied, onError }: {
  row: Row;
  onClose: () => void;
  onCopied: (c: Copied) => void;
  onError: (message: string) => void;
}) {
  const [list, setList] = useState<Snippet[]>([]);
  const [pick, setPick] = useState(0);
  useEffect(() => {
    (row.team ? api.teamSnippets(row.team.team, row.name) : api.snippets(row.kind, row.name)).then(setList).catch((e) => { onError(errorText(e)); onClose(); });
  }, [row]);
  const chosen = list[pick];
  return (
    <Confirm title={`Code for ${row.name}`} confirm="Copy" wide onCancel={onClose} onConfirm={async () => {
      if (!chosen) return;
      try {
        const what = `snippet:${chosen.id}` as const;
        onCopied(await (row.team ? api.copyTeam(row.team.team, row.name, what) : api.copy(row.kind, row.name, what)));
        onClose();
      } catch (e) {
        onError(errorText(e));
      }
    }}>
      <div class="snippet-tabs" role="tablist">
        {list.map((s, i) => (
          <button type="button" role="tab" aria-selected={i === pick} data-snippet={s.id} onClick={() => setPick(i)}>{s.label}</button>
        ))}
      </div>
      {chosen && <pre class="snippet" data-testid="snippet-code"><code>{chosen.code}</code></pre>}
    </Confirm>
  );
}
