import { useAuth } from "../auth";
import { Card, CopyButton, PageHeader, StatusBadge } from "../components/ui";
import { formatDateTime } from "../lib/format";

export function Profile() {
  const { user } = useAuth();
  if (!user) return null;
  return (
    <>
      <PageHeader title="Profile" subtitle="Your account details." />
      <div className="grid grid-2">
        <Card title="Account">
          <dl className="kv">
            <dt>Email</dt>
            <dd data-testid="profile-email">{user.email}</dd>
            <dt>Role</dt>
            <dd><StatusBadge status={user.role} /></dd>
            <dt>Status</dt>
            <dd><StatusBadge status={user.status} /></dd>
            <dt>Member since</dt>
            <dd>{formatDateTime(user.created_at)}</dd>
            <dt>Last sign-in</dt>
            <dd>{formatDateTime(user.last_login_at)}</dd>
          </dl>
        </Card>
        <Card title="License key" subtitle="Quote it when you contact support; it identifies your account.">
          <div className="secret">
            <code data-testid="license-key">{user.license_key || "—"}</code>
            {user.license_key && <CopyButton text={user.license_key} small />}
          </div>
        </Card>
      </div>
      <Card title="Access code" subtitle="Your access code works like a password. We never show it again after it is issued.">
        <p className="muted">Lost it? Use <a href="/recover">recover access code</a> to get a new one by email, or ask your operator to reset it.</p>
      </Card>
    </>
  );
}
