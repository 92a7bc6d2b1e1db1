#include "postgres_test_db.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chat::store::testing {

namespace {

struct Created {
  std::string name;
  std::string test;  // the test that created it ("" outside any test)
  bool until_exit = false;
};

std::mutex mutex;
std::vector<Created> created;  // GUARDED_BY(mutex)
int counter = 0;               // GUARDED_BY(mutex)

std::string CurrentTest() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "";
  return std::string(info->test_suite_name()) + "." + info->name();
}

// `url` with its dbname replaced, as a "key='value' …" connection string.
std::string WithDatabase(const std::string& url, const std::string& dbname) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    ADD_FAILURE() << "CHAT_TEST_DATABASE_URL does not parse: " << (error ? error : "");
    PQfreemem(error);
    return "";
  }
  std::string out;
  auto append = [&](const char* key, const std::string& value) {
    std::string quoted;
    for (char c : value) {
      if (c == '\'' || c == '\\') quoted += '\\';
      quoted += c;
    }
    out += std::string(key) + "='" + quoted + "' ";
  };
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "dbname" || o->val == nullptr) continue;
    append(o->keyword, o->val);
  }
  append("dbname", dbname);
  PQconninfoFree(options);
  return out;
}

// Runs `sql` on a fresh connection to `conninfo`; nullopt-like "" plus a failure on error.
bool Run(const std::string& conninfo, const std::string& sql, std::string* first_value) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to the test PostgreSQL server: " << PQerrorMessage(conn.get());
    return false;
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    ADD_FAILURE() << "admin query failed: " << sql << ": " << PQerrorMessage(conn.get());
    return false;
  }
  if (first_value != nullptr && status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0) {
    *first_value = PQgetvalue(result.get(), 0, 0);
  }
  return true;
}

void Drop(const std::string& admin, const std::string& name) {
  // FORCE: a store of an earlier test may still be closing its connections.
  Run(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", nullptr);
}

// Drops what is left at exit.
class DropDatabases : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(mutex);
    const std::string admin =
        std::getenv("CHAT_TEST_DATABASE_URL") ? std::getenv("CHAT_TEST_DATABASE_URL") : "";
    if (admin.empty()) return;
    for (const Created& c : created) Drop(admin, c.name);
    created.clear();
  }
};

[[maybe_unused]] ::testing::Environment* const kDropAtExit =
    ::testing::AddGlobalTestEnvironment(new DropDatabases);

}  // namespace

std::string TestServerUrl() {
  const char* url = std::getenv("CHAT_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << "CHAT_TEST_DATABASE_URL is not set, so the PostgreSQL store tests cannot "
                     "run. Start a server with `scripts/services.sh start DIR` and export the "
                     "variables of DIR/env (e.g. `set -a; . DIR/env; set +a`).";
    return "";
  }
  return url;
}

namespace {

// Creates a database named for this process as a copy of `from` ("TEMPLATE …" clause) and returns
// its name, or "" after recording a failure. Kept until exit when `until_exit`, else until a
// later test creates one.
std::string Create(const std::string& admin, const std::string& from, bool until_exit) {
  const std::string test = CurrentTest();
  std::string name;
  {
    std::lock_guard lock(mutex);
    // Databases of tests that have ended are no longer in use: drop them now rather than
    // keeping hundreds until exit.
    std::vector<Created> kept;
    for (const Created& c : created) {
      if (c.test != test && !c.until_exit) {
        Drop(admin, c.name);
      } else {
        kept.push_back(c);
      }
    }
    created = std::move(kept);
    name = "chat_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    created.push_back({name, test, until_exit});
  }
  if (!Run(admin, "CREATE DATABASE " + name + " " + from, nullptr)) return "";
  return name;
}

// The C locale: byte order and ASCII-only case folding, whatever the server's default. FILE_COPY
// copies the template's files whole: for databases this small, about half the time of the
// default (WAL_LOG, which writes every page to the WAL).
constexpr const char* kEmpty = "TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' STRATEGY FILE_COPY";

}  // namespace

std::string CreateTestDatabase() {
  const std::string admin = TestServerUrl();
  if (admin.empty()) return "";
  const std::string name = Create(admin, kEmpty, false);
  return name.empty() ? "" : WithDatabase(admin, name);
}

std::string CreatePreparedTestDatabase(const std::function<bool(const std::string&)>& prepare) {
  static std::mutex template_mutex;
  static std::string template_name;  // GUARDED_BY(template_mutex)
  const std::string admin = TestServerUrl();
  if (admin.empty()) return "";
  std::string from;
  {
    std::lock_guard lock(template_mutex);
    if (template_name.empty()) {
      const std::string name = Create(admin, kEmpty, true);
      if (name.empty() || !prepare(WithDatabase(admin, name))) return "";
      template_name = name;
    }
    from = template_name;
  }
  // PostgreSQL copies the template's files; it waits (up to 5 s) for the template's last
  // connections to end.
  const std::string name = Create(admin, "TEMPLATE " + from + " STRATEGY FILE_COPY", false);
  return name.empty() ? "" : WithDatabase(admin, name);
}

std::string AdminQuery(const std::string& sql, const std::string& database_url) {
  std::string conninfo = database_url;
  if (conninfo.empty()) conninfo = TestServerUrl();
  if (conninfo.empty()) return "";
  std::string value;
  Run(conninfo, sql, &value);
  return value;
}

}  // namespace chat::store::testing
