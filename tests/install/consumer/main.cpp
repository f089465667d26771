#include <cstdio>
#include <notionsync/core/key.hpp>
#include <notionsync/core/sqlite_state_store.hpp>
#include <notionsync/notionsync.hpp>

struct Person {
  std::string name, email;
};

int main() {
  auto store = notionsync::SqliteStateStore::open(":memory:");
  const auto target = store->ensure_target("consumer", "people", "test");
  const notionsync::Key key{"ada@example.com", 1.0};
  std::printf("consumer ok: target %lld, key %s\n", static_cast<long long>(target.id),
              key.encoded().c_str());
  // The front door from the installed headers: a Sync, a database and a declaration (no run:
  // nothing is sent).
  notionsync::Sync sync({.token = "secret_consumer", .state = ":memory:"});
  auto people =
      sync.database(notionsync::Schema<Person>()
                        .title("Name", &Person::name)
                        .email("Email", &Person::email)
                        .key(&Person::email),
                    notionsync::NewDatabase{.parent_page = "6e1f3c9a2b7d4c589a417d0e5b2c8f13",
                                            .title = "People"});
  const bool declared = !people.declare({"Ada", "ada@example.com"}).has_value();
  std::printf("front door ok: %s declared %d\n", people.name().c_str(), declared ? 1 : 0);
  return declared ? 0 : 1;
}
