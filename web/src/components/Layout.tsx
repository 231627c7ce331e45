import { useEffect, useState } from "react";
import { Link, NavLink, Navigate, Outlet, useLocation } from "react-router-dom";
import { notifications } from "../api/commerce";
import { useAuth } from "../auth";
import { useInterval } from "../lib/hooks";
import { unread, useUnreadCount } from "../lib/unread";
import { Icon, type IconName } from "./Icon";
import { Loading } from "./ui";

function Brand() {
  return (
    <Link to="/" className="brand" aria-label="hqadz home">
      <span className="brand-mark">
        <Icon name="send" size={16} />
      </span>
      hqadz
    </Link>
  );
}

function Item({ to, icon, children, end, badge }: { to: string; icon: IconName; children: string; end?: boolean; badge?: number }) {
  return (
    <NavLink to={to} end={end} className={({ isActive }) => `nav-link${isActive ? " active" : ""}`}>
      <Icon name={icon} />
      {children}
      {badge ? <span className="nav-badge" aria-label={`${badge} unread`}>{badge}</span> : null}
    </NavLink>
  );
}

function useUnread(enabled: boolean) {
  const n = useUnreadCount();
  const [off, setOff] = useState(false);
  const load = () => {
    if (!enabled || off) return;
    notifications
      .mine()
      .then((r) => unread.set(r.unread))
      .catch(() => setOff(true)); // an error: no badge rather than a wrong one
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(load, [enabled]);
  useInterval(load, 60000, enabled && !off);
  return enabled ? n : 0;
}

/** The signed-in frame: sidebar (a drawer on phones), top bar, page. */
export function AppLayout() {
  const { user, status, signOut } = useAuth();
  const [open, setOpen] = useState(false);
  const loc = useLocation();
  const unread = useUnread(status === "signedIn");
  useEffect(() => setOpen(false), [loc.pathname]);

  if (status === "loading") return <Loading label="Restoring your session…" />;
  if (status === "signedOut" || !user) return <Navigate to={`/signin?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  const admin = user.role === "ADMIN";

  return (
    <div className={`shell${open ? " nav-open" : ""}`}>
      {open && <div className="scrim" onClick={() => setOpen(false)} aria-hidden="true" />}
      <nav className="sidebar" aria-label="Main navigation">
        <Brand />
        {admin && (
          <>
            <div className="nav-section">Operations</div>
            <Item to="/admin" icon="chart" end>Overview</Item>
            <Item to="/admin/users" icon="users">Users</Item>
            <Item to="/admin/adbots" icon="bot">Adbots</Item>
            <Item to="/admin/products" icon="plans">Products</Item>
            <Item to="/admin/stock" icon="db">Stock</Item>
            <Item to="/admin/payments" icon="flag">Flagged payments</Item>
            <Item to="/admin/blocklist" icon="shield">Blocklist & opt-outs</Item>
            <Item to="/admin/audit" icon="list">Audit log</Item>
          </>
        )}
        <div className="nav-section">{admin ? "Customer view" : "Workspace"}</div>
        <Item to="/dashboard" icon="bot" end>My adbots</Item>
        <Item to="/plans" icon="plans">Plans</Item>
        <Item to="/dashboard/history" icon="history">Order history</Item>
        <Item to="/dashboard/notifications" icon="bell" badge={unread}>Notifications</Item>
        <div className="nav-section">Account</div>
        <Item to="/dashboard/profile" icon="user">Profile</Item>
        <Item to="/dashboard/settings" icon="settings">Settings</Item>
        <div className="sidebar-foot">
          <div className="who">
            <div className="avatar" aria-hidden="true">{user.email.charAt(0).toUpperCase()}</div>
            <div className="who-text">
              <div className="who-email" title={user.email}>{user.email}</div>
              <div className="who-role">{admin ? "Administrator" : "Customer"}</div>
            </div>
          </div>
          <button className="btn ghost" onClick={() => void signOut()}>
            <Icon name="logout" size={16} /> Sign out
          </button>
        </div>
      </nav>
      <div className="main">
        <header className="topbar">
          <button className="btn ghost icon-btn" onClick={() => setOpen(true)} aria-label="Open navigation" aria-expanded={open}>
            <Icon name="menu" />
          </button>
          <Brand />
        </header>
        <main className="content" id="main">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

export function RequireAdmin({ children }: { children: React.ReactNode }) {
  const { user } = useAuth();
  if (user?.role !== "ADMIN") return <Navigate to="/dashboard" replace />;
  return <>{children}</>;
}

export { Brand };
