import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { adminAdbots } from "../../api/adbots";
import { errorMessage } from "../../api/client";
import type { AdminAdbot as Adbot, AdbotFields, AdbotStatus } from "../../api/types";
import { AsyncBlock, Button, Card, EmptyState, FormError, Modal, PageHeader, SelectField, StatusBadge, TextField } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime, validityLeft } from "../../lib/format";
import { useAsync } from "../../lib/hooks";
import { HealthDots } from "../adbotParts";

export function AdminAdbots() {
  const [status, setStatus] = useState<AdbotStatus | "">("");
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  const state = useAsync(() => adminAdbots.list({ status, q: query, limit: 100 }), [status, query]);
  const [extend, setExtend] = useState<Adbot | null>(null);
  const toast = useToast();
  const [busy, setBusy] = useState<number | null>(null);

  /** A row updated with what a stop or an extension answered (the adbot itself, without the row's counters). */
  const replace = (a: AdbotFields) => state.setData((d) => (d ? { ...d, items: d.items.map((x) => (x.id === a.id ? { ...x, ...a } : x)) } : d!));
  const stop = async (a: Adbot) => {
    setBusy(a.id);
    try {
      const r = await adminAdbots.forceStop(a.id);
      replace(r);
      toast(`Adbot #${a.id} stopped`);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader title="Adbots" subtitle="Every customer's adbot." />
      <Card flush>
        <div className="filters" style={{ padding: "16px 20px" }}>
          <TextField label="Search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Email, post link…" />
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as AdbotStatus | "")} options={[{ value: "", label: "Any status" }, ...["RUNNING", "STOPPED", "QUEUED", "EXPIRED", "SUSPENDED"].map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() }))]} />
        </div>
        <AsyncBlock state={state} what="The adbot list" skeleton empty={(d) => (d.items.length ? null : <EmptyState icon="bot" title="No adbots match">Adbots appear when customers pay for plans.</EmptyState>)}>
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive">
                <thead><tr><th>Adbot</th><th>Customer</th><th>Status</th><th>Validity</th><th>Accounts</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.items.map((a) => (
                    <tr key={a.id}>
                      <td data-label="Adbot"><Link to={`/dashboard/adbots/${a.id}`}>{a.product.name} #{a.id}</Link><div className="faint">order #{a.order_id}</div></td>
                      <td data-label="Customer">{a.user_email}</td>
                      <td data-label="Status"><StatusBadge status={a.status} /></td>
                      <td data-label="Validity" title={formatDateTime(a.validity_end)}>{validityLeft(a.validity_end).text}</td>
                      <td data-label="Accounts"><HealthDots assigned={a.sessions_assigned} needed={a.sessions_needed} /></td>
                      <td className="actions">
                        <Button className="sm" onClick={() => setExtend(a)}>Extend</Button>
                        {a.status === "RUNNING" && <Button className="sm danger" busy={busy === a.id} onClick={() => stop(a)}>Force stop</Button>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncBlock>
      </Card>
      {extend && <ExtendDialog adbot={extend} onClose={() => setExtend(null)} onDone={(a) => { replace(a); setExtend(null); toast(`Adbot #${a.id} extended`); }} />}
    </>
  );
}

function ExtendDialog({ adbot, onClose, onDone }: { adbot: Adbot; onClose: () => void; onDone: (a: AdbotFields) => void }) {
  const [days, setDays] = useState("7");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const n = Number(days);
  const valid = Number.isInteger(n) && n >= 1 && n <= 3650;
  return (
    <Modal title={`Extend adbot #${adbot.id}`} onClose={onClose} footer={<><Button onClick={onClose}>Cancel</Button><Button className="primary" busy={busy} disabled={!valid} onClick={async () => {
      setBusy(true);
      setError(undefined);
      try {
        const r = await adminAdbots.extend(adbot.id, n);
        onDone(r);
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    }}>Extend</Button></>}>
      <p className="muted">Currently {validityLeft(adbot.validity_end).text.toLowerCase()}{adbot.validity_end ? ` (until ${formatDateTime(adbot.validity_end)})` : ""}. Days are added from the later of now and the current end.</p>
      <TextField label="Days to add" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} error={!valid ? "A whole number of days, 1 to 3650" : undefined} />
      <FormError error={error} />
    </Modal>
  );
}
