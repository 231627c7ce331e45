import { useRef, useState, type DragEvent } from "react";
import { errorMessage, isNotAvailable } from "../../api/client";
import { stockApi, type StockCredentials } from "../../api/stock";
import type { StockAccount, StockStatus } from "../../api/types";
import { Alert, AsyncBlock, Button, Card, EmptyState, FormError, Modal, NotAvailable, PageHeader, Progress, SelectField, StatusBadge, TextArea, TextField } from "../../components/ui";
import { Icon } from "../../components/Icon";
import { useToast } from "../../components/toast";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useAsync } from "../../lib/hooks";
import { phoneFromFileName } from "../../lib/format";
import { cannotJoin, needsAttention, NO_JOINS_LABEL, STOCK_STATUSES as STATUSES, stockStatus } from "../../lib/states";

/** An account's badge: its status, or amber "Can't join more groups" while it still posts. */
function StockBadge({ s }: { s: StockAccount }) {
  const shown = s.status === "ASSIGNED" && cannotJoin(s) ? { label: NO_JOINS_LABEL, tone: "warn" as const } : stockStatus(s.status);
  return <StatusBadge status={s.status} label={shown.label} tone={shown.tone} />;
}

interface Item {
  key: string;
  label: string;
  file?: File;
  string?: string;
  phone: string;
  state: "ready" | "uploading" | "done" | "failed";
  progress: number;
  message?: string;
}

export function AdminStock() {
  const overview = useAsync(() => stockApi.overview(), []);
  const [filter, setFilter] = useState<StockStatus | "">("");
  const list = useAsync(() => stockApi.list({ status: filter, limit: 200 }), [filter]);
  const [assigning, setAssigning] = useState<StockAccount | null>(null);
  const [retiring, setRetiring] = useState<StockAccount | null>(null);
  const refresh = () => {
    overview.reload();
    list.reload();
  };
  if (overview.notAvailable && list.notAvailable) {
    return (
      <>
        <PageHeader title="Stock" subtitle="Telegram accounts that fulfil orders." />
        <Card><NotAvailable what="Stock management" /></Card>
      </>
    );
  }
  const problems = (list.data?.items ?? []).filter(needsAttention);

  return (
    <>
      <PageHeader title="Stock" subtitle="Telegram accounts that fulfil orders. Imported keys are encrypted at rest." actions={<Button icon="refresh" onClick={refresh}>Refresh</Button>} />
      <Card title="Counts">
        <AsyncBlock state={overview} what="Stock counts">
          {(o) => (
            <div className="stack">
              {o.low_stock && <Alert kind="warn" title="Low stock">New orders wait in the queue until accounts are uploaded.</Alert>}
              <div className="stock-counts" data-testid="stock-counts">
                {STATUSES.map((s) => (
                  <div className="stock-count" key={s}><b>{o.counts[s] ?? 0}</b><span className="faint">{stockStatus(s).label}</span></div>
                ))}
              </div>
            </div>
          )}
        </AsyncBlock>
      </Card>
      <Uploader onUploaded={refresh} />
      {problems.length > 0 && (
        <Card flush title="Needs attention" subtitle="Frozen, banned, logged-out, restricted, cooling or retired accounts, and those that can't join more groups, with the reason. Assign a replacement to the adbot that lost one.">
          <div className="table-wrap">
            <table className="table responsive">
              <thead><tr><th>Account</th><th>Status</th><th>Reason</th><th>Adbot</th><th>Changed</th></tr></thead>
              <tbody>
                {problems.map((s) => (
                  <tr key={s.id}>
                    <td data-label="Account">{s.phone_number}</td>
                    <td data-label="Status"><StockBadge s={s} /></td>
                    <td data-label="Reason" className="small">{s.status_reason ?? (cannotJoin(s) ? "Telegram lets it join no more groups; it keeps posting to the ones it is in" : "—")}</td>
                    <td data-label="Adbot">{s.assigned_to_adbot_id ? `#${s.assigned_to_adbot_id}` : "—"}</td>
                    <td data-label="Changed" title={formatDateTime(s.updated_at)}>{formatRelative(s.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      <Card flush title="Accounts" actions={<SelectField label="Status" value={filter} onChange={(e) => setFilter(e.target.value as StockStatus | "")} options={[{ value: "", label: "All" }, ...STATUSES.map((s) => ({ value: s, label: stockStatus(s).label }))]} />}>
        <AsyncBlock state={list} what="The stock list" skeleton empty={(d) => (d.items.length ? null : <EmptyState icon="db" title="No accounts here">Upload Telethon .session files or StringSessions above.</EmptyState>)}>
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive" data-testid="stock-table">
                <thead><tr><th>#</th><th>Phone</th><th>Status</th><th>DC</th><th>Adbot</th><th>Sent today</th><th>Reason</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.items.map((s) => (
                    <tr key={s.id}>
                      <td data-label="#">{s.id}</td>
                      <td data-label="Phone">{s.phone_number}</td>
                      <td data-label="Status"><StockBadge s={s} /></td>
                      <td data-label="DC">{s.dc_id}</td>
                      <td data-label="Adbot">{s.assigned_to_adbot_id ? `#${s.assigned_to_adbot_id}` : "—"}</td>
                      <td data-label="Sent today">{s.sends_today}</td>
                      <td data-label="Reason" className="small muted">{s.status_reason ?? ""}</td>
                      <td className="actions">
                        {(s.status === "UNUSED" || s.status === "ASSIGNED") && <Button className="sm" onClick={() => setAssigning(s)}>Assign</Button>}
                        {s.status !== "RETIRED" && <Button className="sm danger" onClick={() => setRetiring(s)}>Retire</Button>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncBlock>
      </Card>
      {assigning && <AssignDialog account={assigning} onClose={() => setAssigning(null)} onDone={() => { setAssigning(null); refresh(); }} />}
      {retiring && <RetireDialog account={retiring} onClose={() => setRetiring(null)} onDone={() => { setRetiring(null); refresh(); }} />}
    </>
  );
}

function Uploader({ onUploaded }: { onUploaded: () => void }) {
  const [mode, setMode] = useState<"files" | "strings">("files");
  const [cred, setCred] = useState({ api_id: "", api_hash: "" });
  const [items, setItems] = useState<Item[]>([]);
  const [strings, setStrings] = useState("");
  const [over, setOver] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const input = useRef<HTMLInputElement>(null);
  const toast = useToast();

  const addFiles = (files: FileList | File[]) => {
    const next = Array.from(files).map<Item>((f, i) => ({ key: `${f.name}-${f.size}-${Date.now()}-${i}`, label: f.name, file: f, phone: phoneFromFileName(f.name), state: "ready", progress: 0 }));
    setItems((old) => [...old.filter((x) => x.state !== "done"), ...next]);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) addFiles(e.dataTransfer.files);
  };
  const update = (key: string, patch: Partial<Item>) => setItems((old) => old.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const credOk = /^\d+$/.test(cred.api_id) && /^[0-9a-fA-F]{32}$/.test(cred.api_hash);

  const run = async () => {
    setError(undefined);
    let queue = items;
    if (mode === "strings") {
      queue = strings
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .map<Item>((l, i) => {
          const [phone, ...rest] = l.split(/[\s,;]+/);
          return { key: `s${i}-${Date.now()}`, label: `Line ${i + 1}`, string: rest.join(""), phone, state: "ready", progress: 0 };
        });
      setItems(queue);
    }
    setRunning(true);
    let ok = 0;
    for (const it of queue) {
      if (it.state === "done") continue;
      const c: StockCredentials = { phone_number: it.phone.trim(), api_id: cred.api_id.trim(), api_hash: cred.api_hash.trim() };
      if (!c.phone_number) {
        update(it.key, { state: "failed", message: "Enter the account's phone number" });
        continue;
      }
      if (it.string !== undefined && !it.string) {
        update(it.key, { state: "failed", message: "Expected “phone StringSession” on this line" });
        continue;
      }
      update(it.key, { state: "uploading", progress: 0, message: undefined });
      try {
        const r = it.file
          ? await stockApi.uploadFile(it.file, c, (p) => update(it.key, { progress: p }))
          : await stockApi.uploadString(it.string!, c);
        ok += 1;
        update(it.key, { state: "done", progress: 1, message: `Imported as account #${r.id} (DC ${r.dc_id}), ${stockStatus(r.status).label}` });
      } catch (e) {
        if (isNotAvailable(e)) {
          update(it.key, { state: "failed", message: "Uploading stock is not available on this server yet" });
          setError(new Error("Uploading stock is not available on this server yet."));
          break;
        }
        update(it.key, { state: "failed", progress: 0, message: errorMessage(e) });
      }
    }
    setRunning(false);
    if (ok) {
      toast(`${ok} account(s) imported`);
      onUploaded();
    }
  };

  const pending = mode === "files" ? items.filter((x) => x.state !== "done").length : strings.trim().split("\n").filter(Boolean).length;

  return (
    <Card title="Upload accounts" subtitle="Telethon .session files or StringSessions, with the api id and hash the account was created with.">
      <div className="stack">
        <div className="tier-tabs" role="group" aria-label="Upload type" style={{ justifySelf: "start" }}>
          <button type="button" aria-pressed={mode === "files"} onClick={() => setMode("files")}>.session files</button>
          <button type="button" aria-pressed={mode === "strings"} onClick={() => setMode("strings")}>StringSessions</button>
        </div>
        <div className="grid grid-2">
          <TextField label="API id" name="api_id" inputMode="numeric" value={cred.api_id} onChange={(e) => setCred({ ...cred, api_id: e.target.value })} placeholder="1234567" error={cred.api_id && !/^\d+$/.test(cred.api_id) ? "Digits only" : undefined} />
          <TextField label="API hash" name="api_hash" value={cred.api_hash} onChange={(e) => setCred({ ...cred, api_hash: e.target.value })} placeholder="32 hexadecimal characters" error={cred.api_hash && !/^[0-9a-fA-F]{32}$/.test(cred.api_hash) ? "32 hexadecimal characters" : undefined} />
        </div>
        {mode === "files" ? (
          <>
            <div
              className={`dropzone${over ? " over" : ""}`}
              onDragOver={(e) => { e.preventDefault(); setOver(true); }}
              onDragLeave={() => setOver(false)}
              onDrop={onDrop}
              onClick={() => input.current?.click()}
              onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && input.current?.click()}
              role="button"
              tabIndex={0}
              aria-label="Choose .session files to upload"
            >
              <Icon name="upload" size={26} />
              <b>Drop .session files here, or click to choose</b>
              <span className="faint">The phone number is read from names like +447700900123.session; you can edit it.</span>
              <input ref={input} type="file" accept=".session" multiple hidden aria-label="Session files" data-testid="session-files" onChange={(e) => e.target.files && addFiles(e.target.files)} />
            </div>
          </>
        ) : (
          <TextArea label="One account per line: phone number, then the StringSession" value={strings} onChange={(e) => setStrings(e.target.value)} placeholder={"+447700900123 1BVtsOK4Bu…"} />
        )}
        {items.length > 0 && (
          <div className="upload-list" aria-label="Upload results">
            {items.map((it) => (
              <div className="upload-item" key={it.key}>
                <div className="row" style={{ minWidth: 0 }}>
                  <Icon name="file" size={16} />
                  <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", maxWidth: 260 }}>{it.label}</span>
                  {it.file && it.state !== "done" ? (
                    <input className="input" style={{ width: 180, minHeight: 32, padding: "4px 8px" }} aria-label={`Phone number for ${it.label}`} placeholder="+phone" value={it.phone} onChange={(e) => update(it.key, { phone: e.target.value })} disabled={running} />
                  ) : (
                    <span className="faint">{it.phone}</span>
                  )}
                </div>
                <div className="row">
                  {it.state === "done" ? <span className="badge ok">Imported</span> : it.state === "failed" ? <span className="badge danger">Failed</span> : it.state === "uploading" ? <span className="badge info">{Math.round(it.progress * 100)}%</span> : <span className="badge">Ready</span>}
                  {!running && it.state !== "uploading" && <button className="btn ghost sm" onClick={() => setItems((o) => o.filter((x) => x.key !== it.key))} aria-label={`Remove ${it.label}`}><Icon name="x" size={14} /></button>}
                </div>
                {(it.state === "uploading" || it.state === "done") && <Progress value={it.string !== undefined && it.state === "uploading" ? null : it.progress} tone={it.state === "done" ? "ok" : undefined} />}
                {it.message && <div className="msg" style={{ color: it.state === "failed" ? "var(--danger)" : "var(--text-2)" }}>{it.message}</div>}
              </div>
            ))}
          </div>
        )}
        <FormError error={error} />
        <div className="row">
          <Button className="primary" icon="upload" busy={running} disabled={!credOk || !pending} onClick={run}>
            {mode === "files" ? `Upload ${pending || ""} file${pending === 1 ? "" : "s"}` : `Import ${pending || ""} session${pending === 1 ? "" : "s"}`}
          </Button>
          {!credOk && <span className="faint">Enter the API id and hash first.</span>}
        </div>
      </div>
    </Card>
  );
}

function AssignDialog({ account, onClose, onDone }: { account: StockAccount; onClose: () => void; onDone: () => void }) {
  const [adbot, setAdbot] = useState(account.assigned_to_adbot_id ? "" : "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const toast = useToast();
  return (
    <Modal title={`Assign account ${account.phone_number}`} onClose={onClose} footer={<><Button onClick={onClose}>Cancel</Button><Button className="primary" busy={busy} disabled={!/^\d+$/.test(adbot)} onClick={async () => {
      setBusy(true);
      setError(undefined);
      try {
        await stockApi.assign(account.id, Number(adbot));
        toast(`Account assigned to adbot #${adbot}`);
        onDone();
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    }}>Assign</Button></>}>
      <p className="muted">Use this to give an adbot a replacement for a banned or dead account. The assignment is recorded in the audit log.</p>
      <TextField label="Adbot id" inputMode="numeric" value={adbot} onChange={(e) => setAdbot(e.target.value.trim())} placeholder="e.g. 12" />
      <FormError error={error} />
    </Modal>
  );
}

function RetireDialog({ account, onClose, onDone }: { account: StockAccount; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const toast = useToast();
  return (
    <Modal title={`Retire account ${account.phone_number}?`} onClose={onClose} footer={<><Button onClick={onClose}>Cancel</Button><Button className="danger solid" busy={busy} disabled={!reason.trim()} onClick={async () => {
      setBusy(true);
      setError(undefined);
      try {
        await stockApi.retire(account.id, reason.trim());
        toast("Account retired");
        onDone();
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    }}>Retire</Button></>}>
      <p className="muted">A retired account is never used again.{account.assigned_to_adbot_id ? ` Adbot #${account.assigned_to_adbot_id} loses it; assign a replacement afterwards.` : ""}</p>
      <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. banned by Telegram" />
      <FormError error={error} />
    </Modal>
  );
}
