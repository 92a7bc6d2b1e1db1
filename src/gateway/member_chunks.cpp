#include "gateway/member_chunks.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "gateway/ready_builder.hpp"

namespace chat::gateway {
namespace {

namespace bj = boost::json;
using domain::Snowflake;

bj::object ChunkBase(const std::string& guild_id, const RequestGuildMembers& request) {
  bj::object o;
  o["guild_id"] = guild_id;
  if (request.nonce) o["nonce"] = *request.nonce;
  if (request.presences) o["presences"] = bj::array();
  return o;
}

}  // namespace

Result<std::vector<bus::EventPtr>> BuildMemberChunks(store::Store& store, Snowflake requester,
                                                     const RequestGuildMembers& request) {
  std::vector<domain::Member> members;
  bj::array not_found;
  auto guild_id = domain::ParseSnowflake(request.guild_id);
  bool allowed = false;
  if (guild_id) {
    auto member = store.IsMember(*guild_id, requester);
    if (!member) return member.error();
    allowed = *member;
  }
  if (allowed && !request.user_ids.empty()) {
    for (const auto& text : request.user_ids) {
      auto id = domain::ParseSnowflake(text);
      auto m = id ? store.GetMember(*guild_id, *id) : Result<domain::Member>(Error::NotFound(""));
      if (m) {
        members.push_back(std::move(*m));
      } else if (m.error().code == Errc::kNotFound) {
        not_found.push_back(bj::string(text));
      } else {
        return m.error();
      }
    }
  } else if (allowed && !request.query.empty()) {
    auto found = store.SearchMembers(*guild_id, request.query,
                                     std::clamp(request.limit ? request.limit : 100, 1, 100));
    if (!found) return found.error();
    members = std::move(*found);
  } else if (allowed) {
    const std::size_t cap = request.limit > 0 ? static_cast<std::size_t>(request.limit) : SIZE_MAX;
    Snowflake after = 0;
    while (members.size() < cap) {
      auto page = store.ListMembers(*guild_id, after, store::kMaxMemberPage);
      if (!page) return page.error();
      for (auto& m : *page) {
        if (members.size() < cap) members.push_back(std::move(m));
      }
      if (page->size() < static_cast<std::size_t>(store::kMaxMemberPage)) break;
      after = page->back().user_id;
    }
  } else {
    for (const auto& text : request.user_ids) not_found.push_back(bj::string(text));
  }

  std::vector<Snowflake> ids;
  ids.reserve(members.size());
  for (const auto& m : members) ids.push_back(m.user_id);
  auto users = store.ListUsers(ids);
  if (!users) return users.error();

  const std::size_t count =
      std::max<std::size_t>(1, (members.size() + kMembersPerChunk - 1) / kMembersPerChunk);
  std::vector<bus::EventPtr> out;
  for (std::size_t i = 0; i < count; ++i) {
    bj::object chunk = ChunkBase(request.guild_id, request);
    bj::array list;
    const std::size_t end = std::min(members.size(), (i + 1) * kMembersPerChunk);
    for (std::size_t k = i * kMembersPerChunk; k < end; ++k) {
      auto u = std::lower_bound(users->begin(), users->end(), members[k].user_id,
                                [](const domain::User& x, Snowflake id) { return x.id < id; });
      if (u != users->end() && u->id == members[k].user_id) {
        list.push_back(domain::json::MemberJson(members[k], *u));
      }
    }
    chunk["members"] = std::move(list);
    chunk["chunk_index"] = i;
    chunk["chunk_count"] = count;
    if (i == 0 && !not_found.empty()) chunk["not_found"] = not_found;
    out.push_back(LocalDispatch("GUILD_MEMBERS_CHUNK", bj::serialize(chunk)));
  }
  return out;
}

}  // namespace chat::gateway
