// "Browse…": what an object store holds, a page at a time, from the core (the connection's
// secrets never come here). A breadcrumb and Back (or Backspace) go up, Enter or a click opens a
// bucket or prefix, arrow keys move, the filter narrows what is shown and the count says how much
// that is. When the credentials may not list the buckets, the core says why and offers the
// buckets known to work; "Go" lists a typed one (remembered when it lists). A place's URIs are
// copied through Rust, in the form each family of tools takes, and so are the Polars and DuckDB
// snippets that read a chosen S3 object.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, errorText, type Row } from "./api";
import type { Entry, Page, Place } from "./gen/bindings";
import { Dialog } from "./Modal";
import { KINDS } from "./gen/kinds";

const TOP: Place = { prefix: "" };

function crumbs(row: Row, place: Place): [string, Place][] {
  const out: [string, Place][] = [[row.name, TOP]];
  if (!place.bucket) return out;
  out.push([place.bucket, { bucket: place.bucket, prefix: "" }]);
  let acc = "";
  for (const part of place.prefix.split("/").filter(Boolean)) {
    acc += `${part}/`;
    out.push([part, { bucket: place.bucket, prefix: acc }]);
  }
  return out;
}

function up(place: Place): Place {
  if (!place.bucket) return TOP;
  const parts = place.prefix.split("/").filter(Boolean);
  if (parts.length === 0) return TOP;
  parts.pop();
  return { bucket: place.bucket, prefix: parts.length ? `${parts.join("/")}/` : "" };
}

const size = (n?: number) => n === undefined ? "" : n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 1 << 30 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / (1 << 30)).toFixed(1)} GiB`;

export function BrowseDialog({ row, onClose, onCopied, onSaved }: { row: Row; onClose: () => void; onCopied: (what: string) => void; onSaved: (what: string) => void }) {
  const [place, setPlace] = useState<Place>(TOP);
  const [page, setPage] = useState<Page | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState("");
  const [typed, setTyped] = useState("");
  const [at, setAt] = useState(0);
  const list = useRef<HTMLUListElement>(null);

  const load = async (p: Place, after: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.browse(row.kind, row.name, p, after);
      setPage(next);
      setEntries((old) => (after ? [...old, ...next.entries] : next.entries));
      if (!after) {
        setAt(0);
        // Keyboard focus moves with the place: to its first entry.
        requestAnimationFrame(() => {
          if (list.current?.contains(document.activeElement)) list.current.querySelector<HTMLElement>("[role=option]")?.focus();
        });
      }
    } catch (e) {
      setError(errorText(e));
      if (!after) { setEntries([]); setPage(null); }
    } finally {
      setBusy(false);
    }
  };
  const go = (p: Place) => { setPlace(p); setFilter(""); load(p, null); };
  useEffect(() => { go(TOP); }, [row]);

  const shown = entries.filter((e) => e.shown.toLowerCase().includes(filter.toLowerCase()));
  const open = (e: Entry) => {
    if (e.kind === "bucket") go({ bucket: e.name, prefix: "" });
    else if (e.kind === "prefix") go({ bucket: place.bucket, prefix: e.name });
  };
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.tagName === "INPUT") return;
    const move = (n: number) => {
      e.preventDefault();
      const i = Math.max(0, Math.min(shown.length - 1, n));
      setAt(i);
      list.current?.querySelectorAll<HTMLElement>("[role=option]")[i]?.focus();
    };
    if (e.key === "ArrowDown") move(at + 1);
    else if (e.key === "ArrowUp") move(at - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(shown.length - 1);
    else if (e.key === "Enter" && shown[at]) { e.preventDefault(); open(shown[at]); }
    else if (e.key === "Backspace" && place.bucket) { e.preventDefault(); go(up(place)); }
  };
  const canDefault = KINDS.kinds.find((k) => k.kind === row.kind)?.default_bucket ?? false;
  const makeDefault = async (bucket: string) => {
    try {
      await api.useBucket(row.kind, row.name, bucket);
      onSaved(`${row.name} now starts in ${bucket}`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const copy = async (i: number) => {
    try {
      const c = await api.copyUri(row.kind, row.name, place, i);
      onCopied(c.what);
    } catch (e) {
      setError(errorText(e));
    }
  };

  // An S3 object chosen: snippets that read it with Polars or DuckDB through patchbay exec.
  const chosen = row.kind === "storage" && place.bucket && shown[at]?.kind === "object" ? shown[at] : null;
  const copySnippet = async (id: "polars" | "duckdb") => {
    try {
      const c = await api.copyObjectSnippet(row.kind, row.name, { bucket: place.bucket, prefix: chosen!.name }, id);
      onCopied(c.what);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Dialog title={`Browse ${row.name}`} wide class="browse" testid="browse" onCancel={onClose}>
      <h2>Browse {row.name}</h2>
      <nav class="crumbs" aria-label="Place" data-testid="browse-crumbs">
        <button type="button" data-testid="browse-back" disabled={!place.bucket} onClick={() => go(up(place))} title="Back (Backspace)">←</button>
        {crumbs(row, place).map(([label, p], i, all) => (
          <>
            {i > 0 && <span class="sep">/</span>}
            <button type="button" class="crumb" aria-current={i === all.length - 1 ? "location" : undefined} onClick={() => go(p)}>{label}</button>
          </>
        ))}
      </nav>
      {page?.note && (
        <div class="notice" data-testid="browse-note">
          <p>{page.note}</p>
          <form class="inline" onSubmit={(e) => { e.preventDefault(); const b = typed.trim(); if (b) go({ bucket: b, prefix: "" }); }}>
            <input name="bucket" placeholder="bucket or container" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
            <button type="submit">Go</button>
          </form>
        </div>
      )}
      {error && <p class="error" role="alert" data-testid="browse-error">{error}</p>}
      <div class="browse-bar">
        <input type="search" name="browse-filter" placeholder="Filter this page" value={filter} aria-label="Filter"
          onInput={(e) => { setFilter((e.target as HTMLInputElement).value); setAt(0); }} />
        <span class="muted" data-testid="browse-count">
          {busy ? "Listing…" : `${shown.length} shown${filter ? ` of ${entries.length}` : ""}${page?.next ? " (more in the store)" : ""}`}
        </span>
      </div>
      <ul class="browse-list" role="listbox" aria-label={`In ${place.bucket ?? row.name}`} ref={list} onKeyDown={onKey} data-testid="browse-list">
        {shown.map((e, i) => (
          <li role="option" tabIndex={i === at ? 0 : -1} aria-selected={i === at} data-kind={e.kind} data-name={e.name}
            title={e.name} onClick={() => { setAt(i); open(e); }}>
            <span class="name">{e.kind === "object" ? e.shown : `${e.shown.replace(/\/$/, "")}/`}</span>
            <span class="size">{e.kind === "object" ? size(e.size) : e.kind === "prefix" ? "folder" : "bucket"}</span>
            <span class="when">{e.modified?.slice(0, 16).replace("T", " ") ?? ""}</span>
            <span class="class">{e.storage_class ?? ""}</span>
          </li>
        ))}
      </ul>
      {page?.next && <button type="button" data-testid="browse-more" disabled={busy} onClick={() => load(place, page.next!)}>Load more</button>}
      {page && page.uris.length > 0 && (
        <div class="uris" data-testid="browse-uris">
          {page.uris.map((u, i) => (
            <div class="uri"><code>{u.uri}</code><span class="muted">{u.tools}</span>
              <button type="button" data-uri={i} onClick={() => copy(i)}>Copy URI</button></div>
          ))}
        </div>
      )}
      {chosen && (
        <div class="uri" data-testid="browse-object">
          <code>{chosen.shown}</code><span class="muted">read it in Python</span>
          <button type="button" data-testid="copy-polars" onClick={() => copySnippet("polars")}>Copy Polars snippet</button>
          <button type="button" data-testid="copy-duckdb" onClick={() => copySnippet("duckdb")}>Copy DuckDB snippet</button>
        </div>
      )}
      <div class="actions">
        {canDefault && place.bucket && (
          <button type="button" data-testid="browse-use-bucket" onClick={() => makeDefault(place.bucket!)}>Save {place.bucket} with the connection</button>
        )}
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
