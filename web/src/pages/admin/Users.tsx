import { useEffect, useState, type FormEvent } from "react";
import { adminUsers } from "../../api/admin";
import { errorMessage } from "../../api/client";
import type { IssuedCode, Role, User, UserStatus } from "../../api/types";
import { AsyncBlock, Button, Card, EmptyState, FormError, Modal, PageHeader, SecretOnce, SelectField, StatusBadge, TextField } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useAsync } from "../../lib/hooks";
import { useAuth } from "../../auth";

export function AdminUsers() {
  const [role, setRole] = useState<Role | "">("");
  const [status, setStatus] = useState<UserStatus | "">("");
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [more, setMore] = useState<User[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ title: string; code: IssuedCode } | null>(null);
  const toast = useToast();
  const { user: me } = useAuth();

  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);

  const state = useAsync(() => adminUsers.list({ role, status, q: query, limit: 50 }), [role, status, query]);
  useEffect(() => {
    setMore([]);
    setCursor(state.data?.next_cursor ?? null);
  }, [state.data]);
  const users = [...(state.data?.items ?? []), ...more];

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const p = await adminUsers.list({ role, status, q: query, limit: 50, cursor });
      setMore((m) => [...m, ...p.items]);
      setCursor(p.next_cursor);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setLoadingMore(false);
    }
  };

  const replace = (u: User) => {
    state.setData((d) => (d ? { ...d, items: d.items.map((x) => (x.id === u.id ? u : x)) } : d!));
    setMore((m) => m.map((x) => (x.id === u.id ? u : x)));
  };

  return (
    <>
      <PageHeader title="Users" subtitle="Customers and administrators." actions={<Button className="primary" icon="plus" onClick={() => setCreating(true)}>New user</Button>} />
      <Card flush>
        <div className="filters" style={{ padding: "16px 20px" }}>
          <TextField label="Search by email" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="name@…" />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role | "")} options={[{ value: "", label: "All roles" }, { value: "USER", label: "Customers" }, { value: "ADMIN", label: "Administrators" }]} />
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as UserStatus | "")} options={[{ value: "", label: "Any status" }, { value: "ACTIVE", label: "Active" }, { value: "SUSPENDED", label: "Suspended" }]} />
        </div>
        <AsyncBlock state={state} what="Users" skeleton empty={(d) => (d.items.length ? null : <EmptyState icon="users" title="No users match">Change the filters, or create a user.</EmptyState>)}>
          {() => (
            <>
              <div className="table-wrap">
                <table className="table responsive" data-testid="users-table">
                  <thead>
                    <tr><th>Email</th><th>Role</th><th>Status</th><th>Created</th><th>Last sign-in</th><th className="right">Actions</th></tr>
                  </thead>
                  <tbody>
                    {users.map((u) => (
                      <UserRow key={u.id} user={u} self={u.id === me?.id} onChange={replace} onIssued={(code) => setIssued({ title: `New access code for ${u.email}`, code })} />
                    ))}
                  </tbody>
                </table>
              </div>
              {cursor && (
                <div className="pager">
                  <Button busy={loadingMore} onClick={loadMore}>Load more</Button>
                </div>
              )}
            </>
          )}
        </AsyncBlock>
      </Card>
      {creating && (
        <CreateUser
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setIssued({ title: `User ${c.email} created`, code: c });
            state.reload();
          }}
        />
      )}
      {issued && (
        <Modal title={issued.title} onClose={() => setIssued(null)} footer={<Button className="primary" onClick={() => setIssued(null)}>I have saved the code</Button>}>
          <p className="muted">Give this access code to {issued.code.email}. They sign in with their email and this code.</p>
          <SecretOnce value={issued.code.access_code} />
        </Modal>
      )}
    </>
  );
}

function UserRow({ user: u, self, onChange, onIssued }: { user: User; self: boolean; onChange: (u: User) => void; onIssued: (c: IssuedCode) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"suspend" | "reset" | null>(null);
  const toast = useToast();
  const run = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    try {
      await fn();
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  };
  const suspended = u.status === "SUSPENDED";
  return (
    <tr>
      <td data-label="Email"><b style={{ fontWeight: 600 }}>{u.email}</b>{self && <span className="faint"> (you)</span>}</td>
      <td data-label="Role"><StatusBadge status={u.role} /></td>
      <td data-label="Status"><StatusBadge status={u.status} /></td>
      <td data-label="Created" title={formatDateTime(u.created_at)}>{formatRelative(u.created_at)}</td>
      <td data-label="Last sign-in" title={formatDateTime(u.last_login_at)}>{u.last_login_at ? formatRelative(u.last_login_at) : "Never"}</td>
      <td className="actions">
        <Button className="sm" busy={busy === "reset"} onClick={() => setConfirm("reset")} aria-label={`Reset access code of ${u.email}`}>Reset code</Button>
        {!self && (
          suspended ? (
            <Button className="sm" busy={busy === "suspend"} onClick={() => run("suspend", async () => { onChange(await adminUsers.unsuspend(u.id)); toast(`${u.email} reactivated`); })}>Unsuspend</Button>
          ) : (
            <Button className="sm danger" busy={busy === "suspend"} onClick={() => setConfirm("suspend")} aria-label={`Suspend ${u.email}`}>Suspend</Button>
          )
        )}
        {confirm === "suspend" && (
          <Modal title={`Suspend ${u.email}?`} onClose={() => setConfirm(null)} footer={<><Button onClick={() => setConfirm(null)}>Cancel</Button><Button className="danger solid" busy={busy === "suspend"} onClick={() => run("suspend", async () => { onChange(await adminUsers.suspend(u.id)); toast(`${u.email} suspended`); })}>Suspend</Button></>}>
            <p>They can no longer sign in, and their running adbots are stopped until you unsuspend them.</p>
          </Modal>
        )}
        {confirm === "reset" && (
          <Modal title={`Reset the access code of ${u.email}?`} onClose={() => setConfirm(null)} footer={<><Button onClick={() => setConfirm(null)}>Cancel</Button><Button className="primary" busy={busy === "reset"} onClick={() => run("reset", async () => onIssued(await adminUsers.resetCode(u.id)))}>Reset code</Button></>}>
            <p>The current code stops working at once. You will see the new one once.</p>
          </Modal>
        )}
      </td>
    </tr>
  );
}

function CreateUser({ onClose, onCreated }: { onClose: () => void; onCreated: (c: IssuedCode) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("USER");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await adminUsers.create(email.trim(), role));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="New user" onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label="Email" type="email" name="email" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} placeholder="customer@example.com" />
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} options={[{ value: "USER", label: "Customer" }, { value: "ADMIN", label: "Administrator" }]} />
        <FormError error={error} />
        <div className="modal-foot">
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button type="submit" className="primary" busy={busy} disabled={!email.trim()}>Create user</Button>
        </div>
      </form>
    </Modal>
  );
}
