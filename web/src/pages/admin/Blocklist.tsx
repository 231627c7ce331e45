import { useState, type FormEvent } from "react";
import { blocklist } from "../../api/blocklist";
import { errorMessage } from "../../api/client";
import type { BlocklistEntry } from "../../api/types";
import { AsyncBlock, Button, Card, EmptyState, FormError, PageHeader, SelectField, StatusBadge, TextField } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime } from "../../lib/format";
import { parseGroup } from "../../lib/groups";
import { useAsync } from "../../lib/hooks";

export function AdminBlocklist() {
  const [status, setStatus] = useState("");
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
      const r = await blocklist.decide(e.id, d);
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
      <Card flush title="Entries" actions={<SelectField label="Show" value={status} onChange={(e) => setStatus(e.target.value)} options={[{ value: "", label: "All" }, { value: "PENDING", label: "Opt-outs to review" }, { value: "CONFIRMED", label: "Confirmed" }, { value: "REJECTED", label: "Rejected" }]} />}>
        <AsyncBlock state={state} what="The blocklist" skeleton empty={(d) => (d.length ? null : <EmptyState icon="shield" title="No blocked groups">Groups you block, and owners' opt-outs, are listed here.</EmptyState>)}>
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive">
                <thead><tr><th>Group</th><th>Source</th><th>Status</th><th>Reason / contact</th><th>Since</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.map((e) => (
                    <tr key={e.id}>
                      <td data-label="Group"><code>{e.target}</code></td>
                      <td data-label="Source">{e.source === "OPT_OUT" || e.source === "opt_out" ? "Owner opt-out" : e.source ?? "Admin"}</td>
                      <td data-label="Status"><StatusBadge status={e.status ?? "CONFIRMED"} /></td>
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
