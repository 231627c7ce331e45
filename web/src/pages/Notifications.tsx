import { useState } from "react";
import { errorMessage, isNotAvailable } from "../api/client";
import { notifications } from "../api/commerce";
import type { Notification } from "../api/types";
import { AsyncBlock, Button, Card, EmptyState, PageHeader } from "../components/ui";
import { useToast } from "../components/toast";
import { formatDateTime, formatRelative, titleCase } from "../lib/format";
import { useAsync } from "../lib/hooks";

const isRead = (n: Notification) => !!(n.read_at || n.read);

export function Notifications() {
  const state = useAsync(() => notifications.mine().then((r) => r.notifications), []);
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const unread = (state.data ?? []).filter((n) => !isRead(n));

  const markAll = async () => {
    setBusy(true);
    try {
      await notifications.markRead("all");
      state.setData((d) => (d ?? []).map((n) => ({ ...n, read: true, read_at: n.read_at ?? new Date().toISOString() })));
    } catch (e) {
      toast(isNotAvailable(e) ? "Marking as read is not available yet" : errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle="Payments, adbot changes and expiry notices."
        actions={unread.length > 0 ? <Button icon="check" busy={busy} onClick={markAll}>Mark all as read</Button> : undefined}
      />
      <Card flush>
        <AsyncBlock state={state} what="Notifications" skeleton empty={(d) => (d.length ? null : <EmptyState icon="bell" title="You are all caught up">We will let you know here when something needs your attention.</EmptyState>)}>
          {(d) => (
            <div>
              {d.map((n) => (
                <div key={n.id} className={`notif${isRead(n) ? " read" : ""}`}>
                  <span className="dot" aria-label={isRead(n) ? "Read" : "Unread"} />
                  <div>
                    <div className="notif-title">{n.title ?? titleCase(n.kind ?? n.type ?? "Notice")}</div>
                    <div className="muted small">{n.message ?? n.body}</div>
                  </div>
                  <time className="faint nowrap" dateTime={n.created_at} title={formatDateTime(n.created_at)}>{formatRelative(n.created_at)}</time>
                </div>
              ))}
            </div>
          )}
        </AsyncBlock>
      </Card>
    </>
  );
}
