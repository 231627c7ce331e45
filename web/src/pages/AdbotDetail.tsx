import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { adbots, advertisement } from "../api/adbots";
import { errorMessage, isNotAvailable } from "../api/client";
import type { AdbotDetail as Detail, AdbotEvent, AdbotGroup, RejectedGroup, SavedAdvertisement } from "../api/types";
import { BarChart } from "../components/Chart";
import { Alert, AsyncBlock, Button, Card, EmptyState, FormError, Metric, NotAvailable, PageHeader, StatusBadge, TextArea, TextField } from "../components/ui";
import { useToast } from "../components/toast";
import { formatDateTime, formatDuration, formatInterval, formatRelative, formatTime, validityLeft } from "../lib/format";
import { parseGroupList, parsePostLink } from "../lib/groups";
import { useAsync, useInterval, useNow } from "../lib/hooks";
import { useLiveLog, type LiveMode } from "../lib/livelog";
import { usePrefs } from "../lib/prefs";
import { bucketEventsByHour } from "../lib/series";
import { eventKind, groupBadge } from "../lib/states";
import { accountLabel, accountTone, HealthDots } from "./adbotParts";

type Tab = "overview" | "configure" | "log";

export function AdbotDetail() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const tab = (params.get("tab") as Tab) || "overview";
  const state = useAsync(() => adbots.get(id), [id]);
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const prefs = usePrefs();
  const live = useLiveLog(Number.isFinite(id) ? id : undefined, Math.max(3, prefs.pollSeconds) * 1000);
  // The counters, groups and accounts change as the engine works: re-read every 10 s, and at
  // once after a start, a stop or a save (a page showing the old groups after a save is wrong).
  const refresh = () => adbots.get(id).then((a) => state.setData(a)).catch(() => undefined);
  useInterval(refresh, 10000, !!state.data);

  const toggle = async (d: Detail) => {
    setBusy(true);
    try {
      const running = d.adbot.status === "RUNNING";
      const r = running ? await adbots.stop(d.adbot.id) : await adbots.start(d.adbot.id);
      state.setData((old) => ({ ...(old ?? d), adbot: r }));
      void refresh();
      toast(running ? "Adbot stopped" : "Adbot started — deliveries appear in the live log");
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  };

  const setTab = (t: Tab) => setParams(t === "overview" ? {} : { tab: t }, { replace: true });

  return (
    <AsyncBlock state={state} what="This adbot">
      {(d) => {
        const a = d.adbot;
        return (
        <>
          <PageHeader
            title={a.product.name}
            subtitle={<span className="row"><StatusBadge status={a.status} pulse={a.status === "RUNNING"} /> <span>Adbot #{a.id} · {validityLeft(a.validity_end).text}{a.validity_end ? ` · until ${formatDateTime(a.validity_end)}` : ""}</span></span>}
            actions={
              <>
                <Link className="btn" to="/dashboard">All adbots</Link>
                {(a.status === "RUNNING" || a.status === "STOPPED") && (
                  <Button className={a.status === "RUNNING" ? "danger" : "primary"} icon={a.status === "RUNNING" ? "stop" : "play"} busy={busy} onClick={() => toggle(d)} data-testid="start-stop">
                    {a.status === "RUNNING" ? "Stop" : "Start"}
                  </Button>
                )}
                {(a.status === "EXPIRED" || validityLeft(a.validity_end).tone === "warning") && <Link className="btn primary" to={`/plans?renew=${a.id}`}>Renew</Link>}
              </>
            }
          />
          {a.stop_reason && a.status !== "RUNNING" && <Alert kind="warn" title="Stopped">{a.stop_reason}</Alert>}
          {a.status === "QUEUED" && <Alert kind="info" title="Waiting for accounts">Your adbot is paid for and waits for Telegram accounts to be assigned. Its validity starts when they are.</Alert>}
          <div className="tabs" role="tablist" aria-label="Adbot sections">
            {(["overview", "configure", "log"] as Tab[]).map((t) => (
              <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
                {t === "overview" ? "Overview" : t === "configure" ? "Post & groups" : "Live log"}
              </button>
            ))}
          </div>
          {tab === "overview" && <Overview detail={d} events={live.events} />}
          {tab === "configure" && <Configure detail={d} onSaved={(ad) => {
            state.setData((old) => (old ? { ...old, adbot: { ...old.adbot, post_link: ad.post_link } } : old!));
            void refresh();
          }} />}
          {tab === "log" && <LiveLog events={live.events} mode={live.mode} loaded={live.loaded} error={live.error} />}
        </>
        );
      }}
    </AsyncBlock>
  );
}

function Overview({ detail, events }: { detail: Detail; events: AdbotEvent[] }) {
  const now = useNow(60000);
  const { adbot: a, accounts: accs, stats, groups } = detail;
  const buckets = useMemo(() => bucketEventsByHour(events, now, 24), [events, now]);
  const hasDeliveries = buckets.some((b) => b.ok + b.failed > 0);
  return (
    <>
      <div className="grid grid-4">
        <Metric icon="send" label="Delivered" value={stats.success} />
        <Metric icon="alert" label="Failures" value={stats.failures} />
        <Metric icon="clock" label="Flood waits honoured" value={stats.flood_waits} />
        <Metric icon="refresh" label="Cycle" value={a.cycle_no} sub={a.next_run_at && a.status === "RUNNING" ? `next ${formatRelative(a.next_run_at, now)}` : formatInterval(a.posting_interval_seconds)} />
      </div>
      <Card title="Deliveries, last 24 hours" subtitle="From the adbot's log.">
        {hasDeliveries ? <BarChart data={buckets} title="Deliveries per hour over the last 24 hours" /> : <EmptyState icon="chart" title="No deliveries yet">Start the adbot and the chart fills in as posts go out.</EmptyState>}
      </Card>
      <div className="grid grid-2">
        <Card title="Accounts" subtitle="The Telegram accounts posting for this adbot." actions={<HealthDots accounts={accs} assigned={accs.filter((x) => x.status === "ASSIGNED").length} needed={a.sessions_needed} />}>
          {accs.length ? (
            <div className="table-wrap">
              <table className="table responsive">
                <thead><tr><th>Account</th><th>State</th><th>Sent today</th>{accs.some((x) => x.status_reason) && <th>Note</th>}</tr></thead>
                <tbody>
                  {accs.map((acc) => (
                    <tr key={acc.session_id}>
                      <td data-label="Account">{acc.username ? "@" + acc.username : acc.phone} <span className="faint">#{acc.session_id}</span></td>
                      <td data-label="State"><span className={`badge ${accountTone(acc) === "muted" ? "" : accountTone(acc)}`}>{accountLabel(acc, now)}</span></td>
                      <td data-label="Sent today">{acc.sends_today}</td>
                      {accs.some((x) => x.status_reason) && <td data-label="Note" className="small muted">{acc.status_reason ?? ""}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyState icon="users" title={a.status === "QUEUED" ? "Accounts on the way" : "No account details"}>
              {a.status === "QUEUED" ? "Your adbot is waiting for accounts to be assigned by the operator." : "Account health appears here once the server reports it."}
            </EmptyState>
          )}
        </Card>
        <Card title="Groups" subtitle={a.post_link ? <>Post: <a href={a.post_link} target="_blank" rel="noreferrer">{a.post_link}</a></> : "No post link yet"}>
          {groups.length ? (
            <div className="group-lines">
              {groups.map((g: AdbotGroup) => {
                const accountError = g.accounts.find((x) => x.last_error)?.last_error ?? null;
                const error = g.last_error ?? accountError;
                const slowUntil = g.accounts.find((x) => x.next_allowed_at)?.next_allowed_at ?? null;
                return (
                  <div key={g.target} className={`group-line ${error ? "bad" : "ok"}`}>
                    <code>{g.target}</code>
                    {(() => {
                      const b = groupBadge(g);
                      return <StatusBadge status={g.state} label={b.label} tone={b.tone} />;
                    })()}
                    {error && <span className="why">{error}</span>}
                    {!error && slowUntil && <span className="why" style={{ color: "var(--warn)" }}>slow mode until {formatTime(slowUntil)}</span>}
                  </div>
                );
              })}
            </div>
          ) : (
            <EmptyState icon="list" title="No groups listed here">Add groups under “Post & groups”.</EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}

function Configure({ detail, onSaved }: { detail: Detail; onSaved: (a: SavedAdvertisement) => void }) {
  const adbot = detail.adbot;
  const toast = useToast();
  const state = useAsync(() => advertisement.get(adbot.id), [adbot.id]);
  const [post, setPost] = useState("");
  const [groupsText, setGroupsText] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [rejected, setRejected] = useState<RejectedGroup[]>([]);
  const [check, setCheck] = useState<{ busy: boolean; ok?: boolean; message?: string }>({ busy: false });

  useEffect(() => {
    if (!state.data) return;
    setPost(state.data.post_link ?? "");
    setGroupsText(state.data.groups.map((g) => g.target).join("\n"));
  }, [state.data]);

  const postCheck = parsePostLink(post);
  const parsed = useMemo(() => parseGroupList(groupsText), [groupsText]);
  const good = parsed.filter((g) => g.ok);
  const bad = parsed.filter((g) => !g.ok);
  const max = adbot.max_groups;
  const tooMany = good.length > max;

  const validatePost = async () => {
    setCheck({ busy: true });
    try {
      const r = await advertisement.validatePost(post.trim(), adbot.id);
      setCheck({ busy: false, ok: r.valid, message: r.valid ? "The post exists and your accounts can see it." : "None of your accounts can see this post. Check the link, or make the channel public." });
    } catch (e) {
      setCheck({ busy: false, ok: false, message: isNotAvailable(e) ? "Checking posts is not available on this server yet." : errorMessage(e) });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setError(undefined);
    if (!postCheck.ok || !good.length) return;
    setBusy(true);
    try {
      const r = await advertisement.save(adbot.id, post.trim(), good.map((g) => g.input.trim()));
      setRejected(r.rejected);
      onSaved(r);
      toast(r.rejected.length ? `Saved; ${r.rejected.length} group(s) were rejected` : "Post and groups saved");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (state.error && !isNotAvailable(state.error)) return <Card><AsyncBlock state={state} what="The advertisement">{() => null}</AsyncBlock></Card>;
  if (state.notAvailable) return <Card><NotAvailable what="Configuring the post and groups" /></Card>;
  if (!state.data) return <Card><AsyncBlock state={state} what="The advertisement">{() => null}</AsyncBlock></Card>;

  return (
    <form className="grid grid-2" onSubmit={submit} noValidate>
      <Card title="Post" subtitle="The channel post your adbot forwards.">
        <div className="stack">
          <TextField
            label="Post link"
            name="post_link"
            placeholder="https://t.me/yourchannel/123"
            value={post}
            onChange={(e) => {
              setPost(e.target.value);
              setCheck({ busy: false });
            }}
            error={(touched || post) && !postCheck.ok ? postCheck.reason : undefined}
            hint={postCheck.ok ? `Post ${postCheck.messageId} of ${postCheck.channel}` : "Open the post in Telegram, choose “Copy link”, paste it here."}
          />
          <div className="row">
            <Button type="button" icon="check" onClick={validatePost} busy={check.busy} disabled={!postCheck.ok}>Check the post</Button>
            {check.message && <span className={`small ${check.ok ? "" : ""}`} style={{ color: check.ok ? "var(--ok)" : "var(--danger)" }} role="status">{check.message}</span>}
          </div>
        </div>
      </Card>
      <Card title="Groups" subtitle={`One per line: @name, t.me/name, a t.me/c/… link or a numeric id.${max ? ` Your plan allows ${max}.` : ""}`}>
        <div className="stack">
          <TextArea
            label="Target groups"
            name="groups"
            value={groupsText}
            onChange={(e) => setGroupsText(e.target.value)}
            placeholder={"@group_one\nhttps://t.me/group_two\nhttps://t.me/c/1234567890/1"}
            error={touched && !good.length ? "Add at least one group" : tooMany ? `Your plan allows ${max} groups; you have ${good.length}.` : undefined}
            hint={`${good.length} valid${bad.length ? ` · ${bad.length} to fix` : ""}`}
          />
          {bad.length > 0 && (
            <div className="group-lines" aria-label="Lines to fix">
              {bad.map((g, i) => (
                <div className="group-line bad" key={i}>
                  <code>{g.input}</code>
                  <span className="why">{g.reason}</span>
                </div>
              ))}
            </div>
          )}
          {rejected.length > 0 && (
            <Alert kind="warn" title="The server rejected some groups">
              <div className="group-lines">
                {rejected.map((r, i) => (
                  <div className="group-line bad" key={i}>
                    <code>{r.input}</code>
                    <span className="why">{r.reason}</span>
                  </div>
                ))}
              </div>
            </Alert>
          )}
          <FormError error={error} />
          <Button type="submit" className="primary" busy={busy} disabled={!postCheck.ok || !good.length || tooMany}>Save post & groups</Button>
          {bad.length > 0 && <p className="faint">Lines to fix are left out when you save.</p>}
        </div>
      </Card>
    </form>
  );
}

const modeText: Record<LiveMode, string> = {
  connecting: "Connecting…",
  live: "Live",
  polling: "Refreshing every few seconds",
  unavailable: "Not available yet",
};

function describe(e: AdbotEvent): string {
  const parts: string[] = [];
  if (e.target) parts.push(e.target);
  if (e.wait_seconds) parts.push(`wait ${formatDuration(e.wait_seconds)}`);
  if (e.session_id) parts.push(`account #${e.session_id}`);
  // The server's detail is in the customer's words already; without one, the kind's sentence.
  const said = e.detail || eventKind(e.kind).sentence;
  if (said) parts.push(said);
  return parts.join(" · ");
}

function LiveLog({ events, mode, loaded, error }: { events: AdbotEvent[]; mode: LiveMode; loaded: boolean; error: unknown }) {
  const prefs = usePrefs();
  const ref = useRef<HTMLDivElement>(null);
  const first = useRef<string | null>(null);
  const newest = events[0] ? events[0].at + events[0].kind : null;
  useEffect(() => {
    if (prefs.autoscroll && ref.current) ref.current.scrollTop = 0;
  }, [newest, prefs.autoscroll]);
  useEffect(() => {
    if (loaded && first.current === null) first.current = newest ?? "";
  }, [loaded, newest]);
  if (mode === "unavailable") return <Card><NotAvailable what="The adbot's log" /></Card>;
  return (
    <Card
      flush
      title="Live log"
      subtitle="Every delivery, wait and change, newest first."
      actions={<span className={`badge ${mode === "live" ? "ok pulse" : mode === "polling" ? "info" : ""}`} data-testid="live-mode">{modeText[mode]}</span>}
    >
      {error ? <div style={{ padding: "0 20px 12px" }}><Alert kind="error">{errorMessage(error)}</Alert></div> : null}
      {!loaded ? (
        <div style={{ padding: 20 }}><span className="spinner" /></div>
      ) : events.length === 0 ? (
        <EmptyState icon="list" title="Nothing logged yet">Start the adbot; deliveries and waits appear here within seconds.</EmptyState>
      ) : (
        <div className="log" ref={ref} data-testid="live-log" aria-live="polite">
          {events.map((e, i) => (
            <div className="log-row" key={(e.id ?? "") + e.at + e.kind + i}>
              <span className="log-time" title={formatDateTime(e.at)}>{formatTime(e.at)}</span>
              <span><StatusBadge status={e.kind} label={eventKind(e.kind).label} tone={eventKind(e.kind).tone} title={eventKind(e.kind).sentence || undefined} /></span>
              <span className="log-detail">{describe(e)}</span>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
