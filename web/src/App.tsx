import { Navigate, Route, Routes } from "react-router-dom";
import { useAuth } from "./auth";
import { AppLayout, RequireAdmin } from "./components/Layout";
import { Loading } from "./components/ui";
import { AdminAdbots } from "./pages/admin/Adbots";
import { AdminAudit } from "./pages/admin/Audit";
import { AdminBlocklist } from "./pages/admin/Blocklist";
import { AdminOverview } from "./pages/admin/Overview";
import { AdminPayments } from "./pages/admin/Payments";
import { AdminProducts } from "./pages/admin/Products";
import { AdminStock } from "./pages/admin/Stock";
import { AdminUsers } from "./pages/admin/Users";
import { AdbotDetail } from "./pages/AdbotDetail";
import { Recover, SignIn, SignUp } from "./pages/auth/Auth";
import { Checkout } from "./pages/Checkout";
import { Dashboard } from "./pages/Dashboard";
import { History } from "./pages/History";
import { NotFound } from "./pages/NotFound";
import { Notifications } from "./pages/Notifications";
import { OptOut } from "./pages/OptOut";
import { Plans } from "./pages/Plans";
import { Profile } from "./pages/Profile";
import { Settings } from "./pages/Settings";

function Home() {
  const { status, user } = useAuth();
  if (status === "loading") return <Loading label="Restoring your session…" />;
  if (!user) return <Navigate to="/signin" replace />;
  return <Navigate to={user.role === "ADMIN" ? "/admin" : "/dashboard"} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/signin" element={<SignIn />} />
      <Route path="/signup" element={<SignUp />} />
      <Route path="/recover" element={<Recover />} />
      <Route path="/opt-out" element={<OptOut />} />
      <Route element={<AppLayout />}>
        <Route path="/plans" element={<Plans />} />
        <Route path="/checkout" element={<Checkout />} />
        <Route path="/dashboard" element={<Dashboard />} />
        <Route path="/dashboard/adbots/:id" element={<AdbotDetail />} />
        <Route path="/dashboard/history" element={<History />} />
        <Route path="/dashboard/notifications" element={<Notifications />} />
        <Route path="/dashboard/profile" element={<Profile />} />
        <Route path="/dashboard/settings" element={<Settings />} />
        <Route path="/admin" element={<RequireAdmin><AdminOverview /></RequireAdmin>} />
        <Route path="/admin/users" element={<RequireAdmin><AdminUsers /></RequireAdmin>} />
        <Route path="/admin/adbots" element={<RequireAdmin><AdminAdbots /></RequireAdmin>} />
        <Route path="/admin/products" element={<RequireAdmin><AdminProducts /></RequireAdmin>} />
        <Route path="/admin/stock" element={<RequireAdmin><AdminStock /></RequireAdmin>} />
        <Route path="/admin/payments" element={<RequireAdmin><AdminPayments /></RequireAdmin>} />
        <Route path="/admin/blocklist" element={<RequireAdmin><AdminBlocklist /></RequireAdmin>} />
        <Route path="/admin/audit" element={<RequireAdmin><AdminAudit /></RequireAdmin>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
