import { useEffect, useId, useState, type ReactNode, type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { createPortal } from "react-dom";
import { errorMessage, isNotAvailable } from "../api/client";
import { titleCase } from "../lib/format";
import { useDocumentTitle } from "../lib/hooks";
import { Icon, type IconName } from "./Icon";

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        {subtitle && <p>{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function Card({ title, subtitle, actions, children, flush, className }: {
  title?: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  flush?: boolean;
  className?: string;
}) {
  return (
    <section className={`card${flush ? " flush" : ""}${className ? " " + className : ""}`}>
      {(title || actions) && (
        <div className="card-head">
          <div>
            {title && <h2>{title}</h2>}
            {subtitle && <p>{subtitle}</p>}
          </div>
          {actions && <div className="row">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function Spinner({ large, label = "Loading" }: { large?: boolean; label?: string }) {
  return <span className={`spinner${large ? " lg" : ""}`} role="status" aria-label={label} />;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state" aria-live="polite">
      <Spinner large />
      <p>{label}</p>
    </div>
  );
}

export function Skeleton({ lines = 3 }: { lines?: number }) {
  return (
    <div className="stack" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${90 - i * 17}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({ icon = "inbox", title, children, action }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state">
      <div className="state-icon">
        <Icon name={icon} size={24} />
      </div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function NotAvailable({ what }: { what: string }) {
  return (
    <EmptyState icon="cloudoff" title="Not available yet">
      {what} is not offered by this server yet. It will appear here as soon as the server supports it.
    </EmptyState>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="state" role="alert">
      <div className="state-icon" style={{ color: "var(--danger)" }}>
        <Icon name="alert" size={24} />
      </div>
      <h3>Something went wrong</h3>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button className="btn" onClick={onRetry}>
          <Icon name="refresh" size={16} /> Try again
        </button>
      )}
    </div>
  );
}

/** Loading → error / not available → empty → content, in one place. */
export function AsyncBlock<T>({ state, what, empty, children, skeleton }: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  what: string;
  empty?: (d: T) => ReactNode | null;
  children: (d: T) => ReactNode;
  skeleton?: boolean;
}) {
  if (state.error !== undefined && state.error !== null) {
    if (isNotAvailable(state.error)) return <NotAvailable what={what} />;
    return <ErrorState error={state.error} onRetry={state.reload} />;
  }
  if (state.data === undefined) return skeleton ? <div style={{ padding: 20 }}><Skeleton lines={4} /></div> : <Loading label={`Loading ${what.toLowerCase()}…`} />;
  const e = empty?.(state.data);
  if (e) return <>{e}</>;
  return <>{children(state.data)}</>;
}

export function Alert({ kind = "info", title, children }: { kind?: "info" | "ok" | "warn" | "error"; title?: ReactNode; children?: ReactNode }) {
  const icon: IconName = kind === "ok" ? "check" : kind === "info" ? "info" : "alert";
  return (
    <div className={`alert ${kind}`} role={kind === "error" ? "alert" : "status"}>
      <Icon name={icon} size={18} />
      <div className="alert-body">
        {title && <strong>{title}</strong>}
        {children && <div>{children}</div>}
      </div>
    </div>
  );
}

export function FormError({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return <Alert kind="error">{errorMessage(error)}</Alert>;
}

type FieldProps = { label: string; hint?: ReactNode; error?: ReactNode; id?: string };

export function TextField({ label, hint, error, id, className, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={fid}>{label}</label>
      <input id={fid} className={`input${className ? " " + className : ""}`} aria-invalid={error ? true : undefined} aria-describedby={hint || error ? fid + "-d" : undefined} {...rest} />
      {(error || hint) && (
        <div id={fid + "-d"} className={error ? "field-error" : "hint"}>
          {error || hint}
        </div>
      )}
    </div>
  );
}

export function TextArea({ label, hint, error, id, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={fid}>{label}</label>
      <textarea id={fid} className="textarea" aria-invalid={error ? true : undefined} aria-describedby={hint || error ? fid + "-d" : undefined} {...rest} />
      {(error || hint) && (
        <div id={fid + "-d"} className={error ? "field-error" : "hint"}>
          {error || hint}
        </div>
      )}
    </div>
  );
}

export function SelectField({ label, hint, id, options, ...rest }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={fid}>{label}</label>
      <select id={fid} className="select" {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

export function Button({ busy, children, className = "", icon, ...rest }: React.ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean; icon?: IconName }) {
  return (
    <button className={`btn ${className}`} disabled={busy || rest.disabled} aria-busy={busy || undefined} {...rest}>
      {busy ? <Spinner label="Working" /> : icon ? <Icon name={icon} size={16} /> : null}
      {children}
    </button>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fallback for http:// origins without the async clipboard.
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

export function CopyButton({ text, label = "Copy", small }: { text: string; label?: string; small?: boolean }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 1800);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className={`btn${small ? " sm" : ""}`}
      onClick={async () => setState((await copyText(text)) ? "copied" : "failed")}
      aria-label={`${label}: ${state === "copied" ? "copied" : "copy to clipboard"}`}
    >
      <Icon name={state === "copied" ? "check" : "copy"} size={14} />
      {state === "copied" ? "Copied" : state === "failed" ? "Select & copy" : label}
    </button>
  );
}

/** A secret shown once (access codes). */
export function SecretOnce({ value, label = "Access code" }: { value: string; label?: string }) {
  return (
    <div className="stack">
      <div className="secret big" aria-label={label}>
        <code data-testid="secret-value">{value}</code>
        <CopyButton text={value} />
      </div>
      <Alert kind="warn">This {label.toLowerCase()} is shown only once. Copy it now and keep it somewhere safe.</Alert>
    </div>
  );
}

const tone: Record<string, string> = {
  ACTIVE: "ok", RUNNING: "ok", PAID: "ok", SENT: "ok", ASSIGNED: "ok", UNUSED: "info", FINISHED: "ok", CONFIRMED: "ok",
  STOPPED: "", QUEUED: "info", PENDING: "warn", WAITING: "warn", CONFIRMING: "info", SENDING: "info", COOLING: "warn", LIMITED: "warn",
  SUSPENDED: "danger", EXPIRED: "danger", FAILED: "danger", BANNED: "danger", FROZEN: "danger", DEAD: "danger", RETIRED: "", REFUNDED: "info",
  AWAITING_APPROVAL: "warn", INVALID: "danger",
  FLOOD_WAIT: "warn", SLOWMODE: "warn", WRITE_FORBIDDEN: "danger", JOINED: "info", STARTED: "primary", SKIPPED: "", CAPPED: "warn", DROPPED: "danger",
  ADMIN: "primary", USER: "", REJECTED: "", PARTIALLY_PAID: "warn",
};

/**
 * A status as a coloured badge; `label` when the page names it otherwise (blocklist ACTIVE =
 * "Confirmed"), `tone` when the colour is the page's (lib/states.ts names the engine's states).
 */
export function StatusBadge({ status, pulse, label, tone: given, title }: { status: string | null | undefined; pulse?: boolean; label?: string; tone?: string; title?: string }) {
  if (!status) return <span className="badge">—</span>;
  const t = given ?? tone[status] ?? tone[status.toUpperCase()] ?? "";
  if (title) return <span className={`badge ${t}${pulse ? " pulse" : ""}`} title={title}>{label ?? titleCase(status)}</span>;
  return <span className={`badge ${t}${pulse ? " pulse" : ""}`}>{label ?? titleCase(status)}</span>;
}

export function Modal({ title, onClose, children, footer, wide }: { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean }) {
  const id = useId();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? " wide" : ""}`} role="dialog" aria-modal="true" aria-labelledby={id}>
        <div className="modal-head">
          <h2 id={id}>{title}</h2>
          <button className="btn ghost icon-btn" onClick={onClose} aria-label="Close dialog">
            <Icon name="x" />
          </button>
        </div>
        {children}
        {footer && <div className="modal-foot">{footer}</div>}
      </div>
    </div>,
    document.body,
  );
}

export function Metric({ label, value, sub, icon }: { label: string; value: ReactNode; sub?: ReactNode; icon?: IconName }) {
  return (
    <div className="card metric">
      <div className="metric-label">
        {icon && <Icon name={icon} size={16} />}
        {label}
      </div>
      <div className="metric-value">{value}</div>
      {sub && <div className="metric-sub">{sub}</div>}
    </div>
  );
}

export function Progress({ value, tone: t }: { value: number | null; tone?: "ok" | "danger" }) {
  return (
    <div className={`progress${t ? " " + t : ""}${value === null ? " indeterminate" : ""}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value === null ? undefined : Math.round(value * 100)}>
      <div style={{ width: `${Math.round((value ?? 0.4) * 100)}%` }} />
    </div>
  );
}
