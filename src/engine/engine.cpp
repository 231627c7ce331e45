#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

#include "crypto/random.hpp"
#include "engine/engine_impl.hpp"

namespace hqadz::engine {
namespace {

std::string default_instance_id() {
  char host[128] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + crypto::random_hex(4);
}

}  // namespace

Engine::Impl::Impl(storage::Database& d, const core::Clock& c, AccountFactory f, EngineSettings s,
                   net::io_context* drivers_on)
    : db(d),
      clock(c),
      factory(std::move(f)),
      settings(std::move(s)),
      pool(settings.threads),
      journal(d, settings.commit_window, settings.later_commit_window),
      control(net::any_io_executor(pool.get_executor())),
      driver_exec(drivers_on != nullptr ? net::any_io_executor(drivers_on->get_executor())
                                    : net::any_io_executor(pool.get_executor())),
      scan_timer(control),
      renew_timer(control),
      maintenance_timer(control) {
  if (settings.instance_id.empty()) {
    settings.instance_id = default_instance_id();
  }
}

std::shared_ptr<Driver> Engine::Impl::find(int64_t adbot_id) {
  std::lock_guard lock(mutex);
  auto it = drivers.find(adbot_id);
  return it == drivers.end() ? nullptr : it->second;
}

void Engine::Impl::driver_done(int64_t adbot_id) {
  std::lock_guard lock(mutex);
  drivers.erase(adbot_id);
  if (drivers.empty()) {
    drivers_gone.notify_all();
  }
}

void Engine::Impl::scan() {
  if (!running) {
    return;
  }
  const int64_t now = now_ms();
  const auto ids = store::claim(db, settings.instance_id, now, now + settings.lease_ttl.count(),
                                settings.max_claim_per_scan);
  // After a restart many adbots are due at once: spread their first ticks over resume_spread.
  // A few claimed together (a dead worker's share) start only resume_step apart, so that they
  // resume soon after its lease ran out, not up to resume_spread later.
  const auto spread = ids.size() > 1 ? settings.resume_spread.count() : 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto driver = std::make_shared<Driver>(shared_from_this(), ids[i]);
    {
      std::lock_guard lock(mutex);
      if (!running) {
        // stop() came while we claimed: it halts only the drivers it finds under this mutex, so
        // a driver started now would run on and its pool would never join. Give the lease back.
        store::release(db, ids[i], settings.instance_id);
        continue;
      }
      if (drivers.count(ids[i]) != 0) {
        continue;
      }
      drivers[ids[i]] = driver;
    }
    const auto delay = std::chrono::milliseconds(
        ids.size() > 1 ? std::min<int64_t>(static_cast<int64_t>(spread * i / ids.size()),
                                           settings.resume_step.count() * static_cast<int64_t>(i))
                       : 0);
    driver->start(delay);
  }
}

void Engine::Impl::renew() {
  if (!running) {
    return;
  }
  auto held = store::renew(db, settings.instance_id, now_ms() + settings.lease_ttl.count());
  if (!held.ok()) {
    return;  // the database is away: keep driving; a lost lease shows at the next renewal
  }
  std::vector<std::shared_ptr<Driver>> lost;
  std::vector<std::shared_ptr<Driver>> adopted;
  {
    std::lock_guard lock(mutex);
    for (auto& [id, d] : drivers) {
      if (held->count(id) == 0) {
        lost.push_back(d);
      }
    }
    // A lease we hold with no driver (one halted on a database error without releasing it):
    // renewing it alone would keep every other worker away and nobody would drive the adbot.
    for (int64_t id : *held) {
      if (running && drivers.count(id) == 0) {  // (not once stop() has collected the drivers)
        auto d = std::make_shared<Driver>(shared_from_this(), id);
        drivers[id] = d;
        adopted.push_back(d);
      }
    }
  }
  for (auto& d : lost) {
    d->halt(false);  // stopped, or another worker has it now: send nothing more
  }
  for (auto& d : adopted) {
    d->start(std::chrono::milliseconds(0));
  }
}

void Engine::Impl::schedule_loops() {
  auto self = shared_from_this();
  scan_timer.expires_after(settings.scan_every);
  scan_timer.async_wait([self](boost::system::error_code ec) {
    if (!ec && self->running) {
      self->scan();
      self->scan_timer.expires_after(self->settings.scan_every);
      self->scan_timer.async_wait([self](boost::system::error_code e2) {
        if (!e2 && self->running) {
          self->schedule_loops();
        }
      });
    }
  });
}

Engine::Engine(storage::Database& db, const core::Clock& clock, AccountFactory accounts,
               EngineSettings settings, boost::asio::io_context* drivers_on)
    : impl_(std::make_shared<Impl>(db, clock, std::move(accounts), std::move(settings),
                                   drivers_on)) {}

Engine::~Engine() { stop(); }

const std::string& Engine::instance_id() const { return impl_->settings.instance_id; }

void Engine::start() {
  if (impl_->running.exchange(true)) {
    return;
  }
  spdlog::info("engine {} started", impl_->settings.instance_id);
  auto im = impl_;
  if (im->db.backend() == storage::Backend::kPostgres && !im->settings.notify_url.empty()) {
    im->listener = std::make_unique<NotifyListener>(im->settings.notify_url,
                                                    [this](int64_t id) { wake(id); });
    im->listener->start();
  }
  net::post(im->control, [im] {
    im->scan();
    im->schedule_loops();
  });
  // Lease renewal and maintenance on their own timers.
  struct Loop {
    static void renew(std::shared_ptr<Impl> im) {
      im->renew_timer.expires_after(im->settings.renew_every);
      im->renew_timer.async_wait([im](boost::system::error_code ec) {
        if (!ec && im->running) {
          im->renew();
          renew(im);
        }
      });
    }
    static void maintain(std::shared_ptr<Impl> im) {
      im->maintenance_timer.expires_after(im->settings.maintenance_every);
      im->maintenance_timer.async_wait([im](boost::system::error_code ec) {
        if (!ec && im->running) {
          const int64_t now = im->now_ms();
          store::expire_due(im->db, now);
          store::prune_events(im->db, now - im->settings.event_retention.count());
          maintain(im);
        }
      });
    }
  };
  net::post(im->control, [im] {
    Loop::renew(im);
    store::expire_due(im->db, im->now_ms());
    Loop::maintain(im);
  });
}

void Engine::stop() {
  if (!impl_->running.exchange(false)) {
    return;
  }
  auto im = impl_;
  if (im->listener) {
    im->listener->stop();  // before the pool ends: it posts wake-ups to it
  }
  net::post(im->control, [im] {
    im->scan_timer.cancel();
    im->renew_timer.cancel();
    im->maintenance_timer.cancel();
  });
  std::vector<std::shared_ptr<Driver>> all;
  {
    std::lock_guard lock(im->mutex);
    for (auto& [id, d] : im->drivers) {
      all.push_back(d);
    }
  }
  for (auto& d : all) {
    d->halt(true);
  }
  {
    // The drivers may run outside the pool: wait for every halt to have run (no send starts
    // after this), whatever thread it runs on.
    std::unique_lock lock(im->mutex);
    im->drivers_gone.wait(lock, [&] { return im->drivers.empty(); });
  }
  // Record what the journal still holds (replies that came in before the halt, releases), then
  // end the pool once the last callbacks ran (a callback left queued on a joined pool would
  // hold the engine forever).
  im->journal.stop();
  im->pool.join();
  const auto js = im->journal.stats();
  spdlog::info("engine {} stopped; its journal committed {} units in {} transactions",
               im->settings.instance_id, js.units, js.transactions);
}

void Engine::wake(int64_t adbot_id) {
  auto im = impl_;
  if (!im->running) {
    return;
  }
  if (auto d = im->find(adbot_id)) {
    d->poke();
    return;
  }
  net::post(im->control, [im] { im->scan(); });
}

void Engine::run_maintenance_once() {
  store::expire_due(impl_->db, impl_->now_ms());
}

size_t Engine::driven() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->drivers.size();
}

void Engine::validate_post(int64_t adbot_id, const std::string& post_link,
                           std::function<void(core::Result<bool>)> done) {
  auto im = impl_;
  if (auto d = im->find(adbot_id)) {
    d->check_post(post_link, std::move(done));
    return;
  }
  // Nobody here drives it: take its lease for the check if it is free, so no second
  // connection to its accounts can exist anywhere.
  auto claimed = im->db.write([&](storage::Tx& tx) -> core::Result<bool> {
    const long long id = adbot_id;
    const long long now = im->now_ms();
    const long long until = now + im->settings.lease_ttl.count();
    soci::statement st = (tx.sql().prepare
                              << "UPDATE adbots SET lease_owner = :o, lease_until = :u WHERE id = "
                                 ":id AND status <> 'RUNNING' AND (lease_owner IS NULL OR "
                                 "lease_until IS NULL OR lease_until < :n)",
                          soci::use(im->settings.instance_id, "o"), soci::use(until, "u"),
                          soci::use(id, "id"), soci::use(now, "n"));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
  if (!claimed.ok() || !*claimed) {
    done(core::Error{core::Errc::kUnavailable, "busy",
                     "the adbot's accounts are in use elsewhere; try again in a moment"});
    return;
  }
  auto d = std::make_shared<Driver>(im, adbot_id);
  d->check_post(post_link, [d, done = std::move(done)](core::Result<bool> r) {
    // Answered once the lease is given back: a check right after this one finds it free.
    d->halt(true, [done, r = std::move(r)]() mutable { done(std::move(r)); });
  });
}

}  // namespace hqadz::engine
