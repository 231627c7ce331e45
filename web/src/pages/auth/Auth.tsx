import { useState, type FormEvent, type ReactNode } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { auth } from "../../api/auth";
import type { SignupResult } from "../../api/types";
import { ApiError } from "../../api/client";
import { useAuth } from "../../auth";
import { Icon } from "../../components/Icon";
import { Brand } from "../../components/Layout";
import { Alert, Button, FormError, Loading, SecretOnce, TextField } from "../../components/ui";
import { useDocumentTitle } from "../../lib/hooks";

function AuthFrame({ title, subtitle, children, foot }: { title: string; subtitle: string; children: ReactNode; foot?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="auth-wrap">
      <aside className="auth-side">
        <Brand />
        <div>
          <h2>Your Telegram post, in every group, on schedule.</h2>
          <ul>
            <li><Icon name="zap" /> Forward one channel post into your groups on a fixed interval, from accounts we run for you.</li>
            <li><Icon name="shield" /> Flood waits and slow mode honoured, so accounts stay healthy.</li>
            <li><Icon name="chart" /> A live log of every delivery, and charts of how it is going.</li>
          </ul>
        </div>
        <p style={{ opacity: 0.7, fontSize: "0.85rem" }}>Pay in crypto · Start in minutes · Stop any time</p>
      </aside>
      <main className="auth-main">
        <div className="auth-card">
          <div className="auth-mobile-brand"><Brand /></div>
          <div>
            <h1>{title}</h1>
            <p className="muted" style={{ marginTop: 6 }}>{subtitle}</p>
          </div>
          {children}
          {foot && <div className="auth-links">{foot}</div>}
        </div>
      </main>
    </div>
  );
}

export function SignIn() {
  const { status, user, signIn } = useAuth();
  const [params] = useSearchParams();
  const nav = useNavigate();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (status === "loading") return <Loading label="Restoring your session…" />;
  const next = params.get("next");
  if (user) return <Navigate to={next && next.startsWith("/") ? next : user.role === "ADMIN" ? "/admin" : "/dashboard"} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const u = await signIn(email.trim(), code.trim());
      nav(next && next.startsWith("/") ? next : u.role === "ADMIN" ? "/admin" : "/dashboard", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame
      title="Sign in"
      subtitle="Use your email and the access code you received."
      foot={<><Link to="/signup">Create an account</Link><Link to="/recover">Lost your access code?</Link></>}
    >
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@company.com" />
        <TextField label="Access code" name="access_code" autoComplete="current-password" required value={code} onChange={(e) => setCode(e.target.value)} className="code" placeholder="Your access code" />
        <FormError error={error instanceof ApiError && error.code === "rate_limited" ? new Error(error.message + " Please wait a moment.") : error} />
        <Button className="primary lg block" type="submit" busy={busy} disabled={!email || !code}>Sign in</Button>
      </form>
    </AuthFrame>
  );
}

export function SignUp() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<SignupResult>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setDone(await auth.signup(email.trim()));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <AuthFrame title="Account created" subtitle={done.message} foot={<Link to="/">Back to the start</Link>}>
        {done.access_code ? (
          <>
            <SecretOnce value={done.access_code} />
            <Link className="btn primary lg block" to={`/signin?email=${encodeURIComponent(done.email)}`}>Continue to sign in</Link>
          </>
        ) : (
          <>
            <Alert kind="ok" title="Check your inbox">We sent the access code for {done.email}. It may take a minute to arrive.</Alert>
            <Link className="btn primary lg block" to={`/signin?email=${encodeURIComponent(done.email)}`}>I have my code</Link>
          </>
        )}
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Create your account" subtitle="All we need is an email. Your access code replaces a password." foot={<><span className="muted">Already have a code?</span><Link to="/signin">Sign in</Link></>}>
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@company.com" />
        <FormError error={error} />
        <Button className="primary lg block" type="submit" busy={busy} disabled={!email}>Create account</Button>
      </form>
    </AuthFrame>
  );
}

export function Recover() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setMessage((await auth.recover(email.trim())).message);
    } catch (err) {
      if (err instanceof ApiError && err.code === "email_unavailable")
        setError(new Error(`${err.message} Ask your operator to reset your access code.`));
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title="Recover your access code" subtitle="We will email a new code. The old one stops working." foot={<Link to="/signin">Back to sign in</Link>}>
      {message ? (
        <Alert kind="ok" title="Request received">{message}</Alert>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@company.com" />
          <FormError error={error} />
          <Button className="primary lg block" type="submit" busy={busy} disabled={!email}>Send a new code</Button>
        </form>
      )}
    </AuthFrame>
  );
}
