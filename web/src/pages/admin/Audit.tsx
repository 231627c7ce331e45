import { useEffect, useState } from "react";
import { adminAudit } from "../../api/admin";
import { errorMessage } from "../../api/client";
import type { AuditEntry } from "../../api/types";
import { AsyncBlock, Button, Card, EmptyState, PageHeader, TextField } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

function detailText(d: unknown): string {
  if (d === null || d === undefined || d === "") return "";
  if (typeof d === "string") return d;
  if (typeof d === "object") return Object.entries(d as Record<string, unknown>).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ");
  return String(d);
}

export function AdminAudit() {
  const [action, setAction] = useState("");
  const [targetType, setTargetType] = useState("");
  const [f, setF] = useState({ action: "", target_type: "" });
  const [more, setMore] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  useEffect(() => {
    const t = setTimeout(() => setF({ action: action.trim(), target_type: targetType.trim() }), 300);
    return () => clearTimeout(t);
  }, [action, targetType]);
  const state = useAsync(() => adminAudit.list({ ...f, limit: 50 }), [f.action, f.target_type]);
  useEffect(() => {
    setMore([]);
    setCursor(state.data?.next_cursor ?? null);
  }, [state.data]);
  const rows = [...(state.data?.items ?? []), ...more];

  return (
    <>
      <PageHeader title="Audit log" subtitle="Who did what, to what, and when." actions={<Button icon="refresh" onClick={state.reload}>Refresh</Button>} />
      <Card flush>
        <div className="filters" style={{ padding: "16px 20px" }}>
          <TextField label="Action" value={action} onChange={(e) => setAction(e.target.value)} placeholder="e.g. user.create" />
          <TextField label="Target type" value={targetType} onChange={(e) => setTargetType(e.target.value)} placeholder="e.g. user" />
        </div>
        <AsyncBlock state={state} what="The audit log" skeleton empty={(d) => (d.items.length ? null : <EmptyState icon="list" title="No entries">Nothing matches these filters.</EmptyState>)}>
          {() => (
            <>
              <div className="table-wrap">
                <table className="table responsive">
                  <thead><tr><th>When</th><th>Actor</th><th>Action</th><th>Target</th><th>Detail</th><th>From</th></tr></thead>
                  <tbody>
                    {rows.map((e) => (
                      <tr key={e.id}>
                        <td data-label="When" className="nowrap">{formatDateTime(e.at)}</td>
                        <td data-label="Actor">{e.actor_user_id ? `user #${e.actor_user_id}` : <span className="faint">system</span>}</td>
                        <td data-label="Action"><code>{e.action}</code></td>
                        <td data-label="Target">{e.target_type ? `${e.target_type}${e.target_id ? ` #${e.target_id}` : ""}` : "—"}</td>
                        <td data-label="Detail" className="small muted" style={{ maxWidth: 320, overflowWrap: "anywhere" }}>{detailText(e.detail)}</td>
                        <td data-label="From" className="small faint">{e.client_address ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {cursor && (
                <div className="pager">
                  <Button busy={busy} onClick={async () => {
                    setBusy(true);
                    try {
                      const p = await adminAudit.list({ ...f, limit: 50, cursor });
                      setMore((m) => [...m, ...p.items]);
                      setCursor(p.next_cursor);
                    } catch (e) {
                      toast(errorMessage(e), "error");
                    } finally {
                      setBusy(false);
                    }
                  }}>Load more</Button>
                </div>
              )}
            </>
          )}
        </AsyncBlock>
      </Card>
    </>
  );
}
