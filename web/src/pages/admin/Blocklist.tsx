import { useState, type FormEvent } from "react";
import { blocklist } from "../../api/blocklist";
import { errorMessage } from "../../api/client";
import type { BlocklistEntry, BlocklistStatus } from "../../api/types";
import { AsyncBlock, Button, Card, EmptyState, FormError, PageHeader, SelectField, StatusBadge, TextField } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../lib/format";
import { parseGroup } from "../../lib/groups";
import { useAsync } from "../../lib/hooks";

// The server's statuses: ACTIVE is a block in force (the operator's, or an opt-out they
// confirmed), PENDING an owner's opt-out to review, REJECTED one lifted.
const STATUS_LABEL: Record<string, string> = { ACTIVE: "Confirmed", PENDING: "To review", REJECTED: "Rejected" };
const STATUS_OPTIONS: { value: BlocklistStatus | ""; label: string }[] = [
  { value: "", label: "All" },
  { value: "PENDING", label: "Opt-outs to review" },
  { value: "ACTIVE", label: "Confirmed" },
  { value: "REJECTED", label: "Rejected" },
];
const SOURCE_LABEL: Record<string, string> = { OPT_OUT: "Owner opt-out", ADMIN: "Operator" };

export function AdminBlocklist() {
  const [status, setStatus] = useState<BlocklistStatus | "">("");
  const state = useAsync(() => blocklist.list(status), [status]);
  const toast = useToast();
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [acting, setActing] = useState<number | null>(null);
  const parsed = target.trim() ? parseGroup(target) : null;

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await blocklist.add(target.trim(), reason.trim());
      state.setData((d) => [r, ...(d ?? [])]);
      setTarget("");
      setReason("");
      toast("Group blocked for every adbot");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const decide = async (e: BlocklistEntry, d: "confirm" | "reject") => {
    setActing(e.id);
    try {
      const r = d === "confirm" ? await blocklist.confirm(e.id) : await blocklist.reject(e.id);
      state.setData((list) => (list ?? []).map((x) => (x.id === e.id ? { ...x, ...r } : x)));
      toast(d === "confirm" ? "Opt-out confirmed" : "Opt-out rejected; the group can receive posts again");
    } catch (err) {
      toast(errorMessage(err), "error");
    } finally {
      setActing(null);
    }
  };

  return (
    <>
      <PageHeader title="Blocklist & opt-outs" subtitle="Groups that receive nothing from any adbot. Owners opt out on the public page /opt-out; it takes effect at once, then you confirm or reject." />
      <Card title="Block a group">
        <form className="filters" onSubmit={add} noValidate>
          <TextField label="Group" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="@group or t.me/group" error={parsed && !parsed.ok ? parsed.reason : undefined} />
          <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. owner asked by email" />
          <div className="field"><span className="label" aria-hidden="true">&nbsp;</span><Button type="submit" className="primary" busy={busy} disabled={!parsed?.ok}>Block</Button></div>
        </form>
        <FormError error={error} />
      </Card>
      <Card flush title="Entries" actions={<SelectField label="Show" value={status} onChange={(e) => setStatus(e.target.value as BlocklistStatus | "")} options={STATUS_OPTIONS} />}>
        <AsyncBlock state={state} what="The blocklist" skeleton empty={(d) => (d.length ? null : <EmptyState icon="shield" title="No blocked groups">Groups you block, and owners' opt-outs, are listed here.</EmptyState>)}>
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive">
                <thead><tr><th>Group</th><th>Source</th><th>Status</th><th>Reason / contact</th><th>Since</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.map((e) => (
                    <tr key={e.id}>
                      <td data-label="Group"><code>{e.target}</code></td>
                      <td data-label="Source">{SOURCE_LABEL[e.source] ?? "Operator"}</td>
                      <td data-label="Status"><StatusBadge status={e.status} label={STATUS_LABEL[e.status]} /></td>
                      <td data-label="Reason" className="small">{[e.reason, e.contact].filter(Boolean).join(" · ") || "—"}</td>
                      <td data-label="Since">{formatDateTime(e.created_at)}</td>
                      <td className="actions">
                        {e.status === "PENDING" && (
                          <>
                            <Button className="sm primary" busy={acting === e.id} onClick={() => decide(e, "confirm")}>Confirm</Button>
                            <Button className="sm" busy={acting === e.id} onClick={() => decide(e, "reject")}>Reject</Button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncBlock>
      </Card>
    </>
  );
}
