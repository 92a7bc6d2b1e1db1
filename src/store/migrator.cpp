#include "store/migrator.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace chat::store {

namespace {

// Releases the backend's migration lock on every path out of a Migrator call.
class LockGuard {
 public:
  explicit LockGuard(MigrationBackend& backend) : backend_(backend) {}
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;
  ~LockGuard() {
    if (locked_) backend_.Unlock();
  }
  Result<void> Lock() {
    auto r = backend_.Lock();
    locked_ = r.has_value();
    return r;
  }

 private:
  MigrationBackend& backend_;
  bool locked_ = false;
};

}  // namespace

Migrator::Migrator(MigrationBackend& backend, std::span<const Migration> migrations)
    : backend_(backend), migrations_(migrations.begin(), migrations.end()) {
  std::sort(migrations_.begin(), migrations_.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

Result<int> Migrator::Up() {
  LockGuard lock(backend_);
  if (auto r = lock.Lock(); !r) return r.error();
  if (auto r = backend_.EnsureMigrationsTable(); !r) return r.error();
  auto applied = backend_.ListApplied();
  if (!applied) return applied.error();
  int ran = 0;
  for (const Migration& m : migrations_) {
    bool done = std::any_of(applied->begin(), applied->end(),
                            [&](const AppliedMigration& a) { return a.version == m.version; });
    if (done) continue;
    if (auto r = backend_.ApplyUp(m); !r) return r.error();
    ++ran;
  }
  return ran;
}

Result<int> Migrator::Down(int n) {
  LockGuard lock(backend_);
  if (auto r = lock.Lock(); !r) return r.error();
  if (auto r = backend_.EnsureMigrationsTable(); !r) return r.error();
  auto applied = backend_.ListApplied();
  if (!applied) return applied.error();
  int reverted = 0;
  for (auto it = applied->rbegin(); it != applied->rend() && reverted < n; ++it) {
    auto known = std::find_if(migrations_.begin(), migrations_.end(),
                              [&](const Migration& m) { return m.version == it->version; });
    if (known == migrations_.end()) {
      // Reverting needs the down script; a newer binary applied this one.
      return Error::Internal("migration " + std::to_string(it->version) + " (" + it->name +
                             ") is not known to this binary");
    }
    if (auto r = backend_.ApplyDown(*known); !r) return r.error();
    ++reverted;
  }
  return reverted;
}

Result<int> Migrator::DownAll() {
  auto applied = [&]() -> Result<std::size_t> {
    if (auto r = backend_.EnsureMigrationsTable(); !r) return r.error();
    auto list = backend_.ListApplied();
    if (!list) return list.error();
    return list->size();
  }();
  if (!applied) return applied.error();
  return Down(static_cast<int>(*applied));
}

Result<std::vector<MigrationStatus>> Migrator::Status() {
  if (auto r = backend_.EnsureMigrationsTable(); !r) return r.error();
  auto applied = backend_.ListApplied();
  if (!applied) return applied.error();
  std::map<int, MigrationStatus> by_version;
  for (const Migration& m : migrations_) {
    by_version[m.version] =
        MigrationStatus{m.version, std::string(m.name), false, std::nullopt, true};
  }
  for (const AppliedMigration& a : *applied) {
    auto [it, inserted] =
        by_version.try_emplace(a.version, MigrationStatus{a.version, a.name, true, {}, false});
    it->second.applied = true;
    it->second.applied_at_ms = a.applied_at_ms;
  }
  std::vector<MigrationStatus> out;
  out.reserve(by_version.size());
  for (auto& [version, status] : by_version) out.push_back(std::move(status));
  return out;
}

}  // namespace chat::store
