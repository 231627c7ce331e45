import { useEffect, useState } from "react";
import { errorMessage } from "../api/client";
import { notifications } from "../api/commerce";
import type { Notification } from "../api/types";
import { AsyncBlock, Button, Card, EmptyState, PageHeader } from "../components/ui";
import { useToast } from "../components/toast";
import { formatDateTime, formatRelative } from "../lib/format";
import { useAsync } from "../lib/hooks";
import { unread as unreadStore } from "../lib/unread";

const isRead = (n: Notification) => n.read_at !== null;

export function Notifications() {
  const state = useAsync(() => notifications.mine(), []);
  const toast = useToast();
  const [busy, setBusy] = useState<number | "all" | null>(null);
  const list = state.data?.notifications ?? [];
  const unread = list.filter((n) => !isRead(n));
  useEffect(() => {
    if (state.data) unreadStore.set(state.data.unread);
  }, [state.data]);

  const markRead = (ids: number[] | "all") => {
    const now = new Date().toISOString();
    state.setData((d) =>
      d
        ? { ...d, unread: ids === "all" ? 0 : Math.max(0, d.unread - ids.length), notifications: d.notifications.map((n) => (ids === "all" || ids.includes(n.id) ? { ...n, read_at: n.read_at ?? now } : n)) }
        : d!,
    );
  };
  const markAll = async () => {
    setBusy("all");
    try {
      await notifications.readAll();
      markRead("all");
      unreadStore.set(0);
      toast("All notifications marked as read");
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(null);
    }
  };
  const markOne = async (n: Notification) => {
    setBusy(n.id);
    try {
      await notifications.read(n.id);
      markRead([n.id]);
      unreadStore.set(unreadStore.get() - 1);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle="Payments, adbot changes and expiry notices."
        actions={unread.length > 0 ? <Button icon="check" busy={busy === "all"} onClick={markAll}>Mark all as read</Button> : undefined}
      />
      <Card flush>
        <AsyncBlock state={state} what="Notifications" skeleton empty={(d) => (d.notifications.length ? null : <EmptyState icon="bell" title="You are all caught up">We will let you know here when something needs your attention.</EmptyState>)}>
          {(d) => (
            <div>
              {d.notifications.map((n) => (
                <div key={n.id} className={`notif${isRead(n) ? " read" : ""}`}>
                  <span className="dot" aria-label={isRead(n) ? "Read" : "Unread"} />
                  <div>
                    <div className="notif-title">{n.title}</div>
                    <div className="muted small">{n.body}</div>
                    {!isRead(n) && (
                      <Button className="sm ghost" busy={busy === n.id} onClick={() => markOne(n)} aria-label={`Mark “${n.title}” as read`}>
                        Mark as read
                      </Button>
                    )}
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
