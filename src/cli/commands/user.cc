// SPDX-License-Identifier: MIT
// `salesbox user add|passwd|list`: who may sign in. Passwords are read from stdin, never from
// the command line (it shows in `ps` and the shell history).
#include <cctype>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "service/auth.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"email", "E", "the user's e-mail: their sign-in name (add, passwd)"},
    {"name", "N", "full name (add)"},
    {"role", "R", "rep, manager, executive, marketing or admin (add; default rep)"},
    {"team", "T", "team name, created if new (add)"},
    {"locale", "L", "en, da, sv or nb (add; default en)"},
    {"password-stdin", "", "read the password from the first line of stdin (add, passwd)"},
};

constexpr const char* kUsage =
    "usage: salesbox user add --db PATH --email E --name N --role R [--team T] [--locale L]\n"
    "                         --password-stdin\n"
    "       salesbox user passwd --db PATH --email E --password-stdin\n"
    "       salesbox user list --db PATH\n";

Result<std::string> ReadPassword(const Args& args) {
  if (!args.Has("password-stdin")) {
    return Status::InvalidArgument(
        "--password-stdin is required: pipe the password in, e.g. `printf '%s' \"$PW\" | "
        "salesbox user ...`");
  }
  std::string line;
  if (!std::getline(std::cin, line)) {
    return Status::InvalidArgument("no password on stdin");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int RunUser(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("user", args.status(), /*usage=*/true);
  if (args->help() || args->positional().empty()) {
    std::printf("%s\n%s", kUsage, FormatFlags(kFlags).c_str());
    return args->help() ? kExitOk : kExitUsage;
  }
  const std::string action = args->positional().front();
  if (args->positional().size() > 1) {
    return Fail("user", Status::InvalidArgument("unexpected \"" + args->positional()[1] + "\""),
                true);
  }
  if (action != "add" && action != "passwd" && action != "list") {
    return Fail("user",
                Status::InvalidArgument("unknown action \"" + action +
                                        "\"; use add, passwd or list"),
                true);
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("user", db.status(), true);
  SystemClock clock;

  if (action == "list") {
    Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
    if (!store.ok()) return Fail("user", store.status());
    storage::ListQuery query;
    query.order_by = "email";
    Result<std::vector<User>> users = (*store)->users().List(query);
    if (!users.ok()) return Fail("user", users.status());
    Result<std::vector<Team>> teams = (*store)->teams().List({});
    if (!teams.ok()) return Fail("user", teams.status());
    std::printf("%-45s %-28s %-10s %-22s %-6s %s\n", "email", "name", "role", "team", "locale",
                "sign-in");
    for (const User& u : *users) {
      std::string team;
      for (const Team& t : *teams) {
        if (u.team_id && t.id == *u.team_id) team = t.name;
      }
      const char* state = !u.active ? "disabled" : u.password_hash.empty() ? "no password" : "yes";
      std::printf("%-45s %-28s %-10s %-22s %-6s %s\n", u.email.c_str(), u.name.c_str(),
                  std::string(ToString(u.role)).c_str(), team.c_str(), u.locale.c_str(), state);
    }
    return kExitOk;
  }

  Result<std::string> email = args->Require("email");
  if (!email.ok()) return Fail("user", email.status(), true);
  service::NewUser user;
  user.email = *email;
  if (action == "add") {
    Result<std::string> name = args->Require("name");
    if (!name.ok()) return Fail("user", name.status(), true);
    user.name = *name;
    Result<Role> role = ParseEnum<Role>(args->Get("role").value_or("rep"));
    if (!role.ok()) return Fail("user", Status::InvalidArgument("--role: " + role.status().message()), true);
    user.role = *role;
    user.team = args->Get("team").value_or("");
    user.locale = args->Get("locale").value_or("en");
  }
  Result<std::string> password = ReadPassword(*args);
  if (!password.ok()) return Fail("user", password.status(), true);

  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
  if (!store.ok()) return Fail("user", store.status());
  if (action == "add") {
    user.password = *password;
    Result<UserId> id = service::CreateUser(**store, clock, user);
    if (!id.ok()) return Fail("user", id.status());
    std::string stored = user.email;  // e-mails are kept lower-case
    for (char& c : stored) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::printf("added %s (%s, user %lld)\n", stored.c_str(),
                std::string(ToString(user.role)).c_str(), static_cast<long long>(id->value));
    return kExitOk;
  }
  Status changed = service::SetPassword(**store, clock, *email, *password);
  if (!changed.ok()) return Fail("user", changed);
  std::printf("changed the password of %s\n", email->c_str());
  return kExitOk;
}

}  // namespace salesbox::cli
