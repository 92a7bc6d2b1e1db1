"""Threads: started from a message or on their own, public and private, joined and left, archived,
reopened by a message, locked, listed (active and archived), deleted with their parent, reached
by webhooks, shown in GUILD_CREATE and announced as THREAD_* events to those who can see them.
A thread's permissions are its parent's under Discord's thread rules. SQLite and PostgreSQL."""
import unittest

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_MEMBERS, GUILD_MESSAGES, MESSAGE_CONTENT = 1 << 0, 1 << 1, 1 << 9, 1 << 15
SEND_MESSAGES_IN_THREADS = 1 << 38
EVERYONE_DEFAULT = 563330162351681



class ThreadSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def community(self, members=1):
        """A guild of an owner with `members` more users joined; its first text channel."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Threads"}).json()
        channels = self.api("GET", f"/guilds/{g['id']}/channels", owner[1]).json()
        channel = next(c["id"] for c in channels if c["type"] == 0)
        code = self.api("POST", f"/channels/{channel}/invites", owner[1], {}).json()["code"]
        others = []
        for _ in range(members):
            member = self.user()
            self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
            others.append(member)
        return g["id"], channel, owner, others

    def post(self, token, channel, content):
        r = self.api("POST", f"/channels/{channel}/messages", token, {"content": content})
        return r

    def session(self, token, intents=GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT):
        return CommunityClient.session(self, token, intents)

    def test_a_thread_started_from_a_message_is_a_channel_members_see_and_post_in(self):
        guild, channel, (owner, owner_token), [(member, member_token)] = self.community()
        ws, _ = self.session(member_token)
        owner_ws, _ = self.session(owner_token, GUILDS | GUILD_MEMBERS)
        message = self.post(owner_token, channel, "release plan?").json()

        for bad in ({}, {"name": ""}, {"name": "x" * 101},
                    {"name": "ok", "auto_archive_duration": 61}):
            r = self.api("POST", f"/channels/{channel}/messages/{message['id']}/threads",
                         owner_token, bad)
            self.assertStatus(r, 400)
        r = self.api("POST", f"/channels/{channel}/messages/424242/threads", owner_token,
                     {"name": "nothing"})
        self.assertStatus(r, 404)
        self.assertEqual(r.json()["code"], 10008)

        r = self.api("POST", f"/channels/{channel}/messages/{message['id']}/threads", owner_token,
                     {"name": "Release Plan", "auto_archive_duration": 60})
        self.assertStatus(r, 201)
        thread = r.json()
        self.assertEqual(thread["id"], message["id"])
        self.assertEqual(thread["type"], 11)
        self.assertEqual(thread["name"], "Release Plan")  # thread names keep their case
        self.assertEqual(thread["parent_id"], channel)
        self.assertEqual(thread["guild_id"], guild)
        self.assertEqual(thread["owner_id"], owner)
        self.assertEqual(thread["member_count"], 1)
        self.assertEqual(thread["message_count"], 0)
        meta = thread["thread_metadata"]
        self.assertFalse(meta["archived"])
        self.assertFalse(meta["locked"])
        self.assertEqual(meta["auto_archive_duration"], 60)
        self.assertNotIn("invitable", meta)
        created = self.next_dispatch(ws, "THREAD_CREATE")
        self.assertEqual(created["id"], thread["id"])
        self.assertTrue(created["newly_created"])
        # Its starter message is marked HAS_THREAD (1 << 5), and an edit keeps the mark.
        starter = f"/channels/{channel}/messages/{message['id']}"
        self.assertTrue(self.api("GET", starter, member_token).json()["flags"] & 32)
        edited = self.api("PATCH", starter, owner_token, {"content": "release plan!", "flags": 4})
        self.assertStatus(edited, 200)
        self.assertEqual(edited.json()["flags"] & (32 | 4), 32 | 4)

        again = self.api("POST", f"/channels/{channel}/messages/{message['id']}/threads",
                         owner_token, {"name": "twice"})
        self.assertStatus(again, 400)
        self.assertEqual(again.json()["code"], 160004)

        # A thread is a channel one reads by id, not one of the guild's channel list.
        got = self.api("GET", f"/channels/{thread['id']}", member_token)
        self.assertStatus(got, 200)
        self.assertEqual(got.json()["type"], 11)
        listed = self.api("GET", f"/guilds/{guild}/channels", member_token).json()
        self.assertNotIn(thread["id"], [c["id"] for c in listed])
        active = self.api("GET", f"/guilds/{guild}/threads/active", member_token).json()
        self.assertEqual([t["id"] for t in active["threads"]], [thread["id"]])
        self.assertEqual(active["members"], [])
        mine = self.api("GET", f"/guilds/{guild}/threads/active", owner_token).json()["members"]
        self.assertEqual([(m["id"], m["user_id"]) for m in mine], [(thread["id"], owner)])

        # Messages in the thread are the thread's, not the parent's.
        r = self.post(member_token, thread["id"], "in the thread")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["channel_id"], thread["id"])
        event = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual((event["channel_id"], event["content"]), (thread["id"], "in the thread"))
        history = self.api("GET", f"/channels/{channel}/messages", member_token).json()
        self.assertNotIn("in the thread", [m["content"] for m in history])
        history = self.api("GET", f"/channels/{thread['id']}/messages", member_token).json()
        self.assertEqual([m["content"] for m in history], ["in the thread"])
        self.assertEqual(self.api("GET", f"/channels/{thread['id']}",
                                  member_token).json()["message_count"], 1)
        found = self.api("GET", f"/guilds/{guild}/messages/search?content=thread",
                         member_token).json()["messages"]
        self.assertEqual([m[0]["content"] for m in found], ["in the thread"])

        # Joining: the joiner hears of it, and so do members with GUILD_MEMBERS.
        self.assertStatus(self.api("PUT", f"/channels/{thread['id']}/thread-members/@me",
                                   member_token), 204)
        update = self.next_dispatch(ws, "THREAD_MEMBERS_UPDATE")
        self.assertEqual(update["added_members"][0]["user_id"], member)
        self.assertEqual(update["member_count"], 2)
        update = self.next_dispatch(owner_ws, "THREAD_MEMBERS_UPDATE")
        self.assertEqual(update["added_members"][0]["user_id"], member)
        members = self.api("GET", f"/channels/{thread['id']}/thread-members", member_token).json()
        self.assertEqual(sorted(m["user_id"] for m in members), sorted([owner, member]))
        one = self.api("GET", f"/channels/{thread['id']}/thread-members/{member}", owner_token)
        self.assertStatus(one, 200)
        self.assertEqual(one.json()["id"], thread["id"])
        self.assertStatus(self.api("DELETE", f"/channels/{thread['id']}/thread-members/@me",
                                   member_token), 204)
        update = self.next_dispatch(ws, "THREAD_MEMBERS_UPDATE")
        self.assertEqual(update["removed_member_ids"], [member])
        r = self.api("GET", f"/channels/{thread['id']}/thread-members/{member}", owner_token)
        self.assertStatus(r, 404)

        # Thread routes on a channel that is not a thread, and threads of threads, are refused.
        self.assertStatus(self.api("PUT", f"/channels/{channel}/thread-members/@me",
                                   member_token), 400)
        r = self.api("POST", f"/channels/{thread['id']}/threads", owner_token,
                     {"name": "nested", "type": 11})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50024)
        r = self.api("PUT", f"/channels/{thread['id']}/permissions/{guild}", owner_token,
                     {"type": 0, "allow": "0", "deny": "0"})
        self.assertStatus(r, 400)
        # Nor do threads take overwrites, invites, webhooks or a place in the channel order.
        for method, path, body in (
                ("POST", f"/channels/{thread['id']}/invites", {}),
                ("POST", f"/channels/{thread['id']}/webhooks", {"name": "Deploys"}),
                ("PATCH", f"/guilds/{guild}/channels", [{"id": thread["id"], "position": 3}])):
            r = self.api(method, path, owner_token, body)
            self.assertIn(r.status, (400, 404), (path, r.json()))

        # New sessions see the active thread in GUILD_CREATE.
        _, creates = self.session(member_token)
        threads = creates[0]["d"]["threads"]
        self.assertEqual([t["id"] for t in threads], [thread["id"]])

        entries = self.api("GET", f"/guilds/{guild}/audit-logs?action_type=110",
                           owner_token).json()["audit_log_entries"]
        self.assertEqual([e["target_id"] for e in entries], [thread["id"]])

    def test_a_private_thread_is_seen_only_by_its_members_and_moderators(self):
        guild, channel, (owner, owner_token), others = self.community(members=3)
        (starter, starter_token), (guest, guest_token), (outsider, outsider_token) = others
        guest_ws, _ = self.session(guest_token)
        outsider_ws, _ = self.session(outsider_token)
        owner_ws, _ = self.session(owner_token)

        r = self.api("POST", f"/channels/{channel}/threads", starter_token,
                     {"name": "secret plans", "type": 12})
        self.assertStatus(r, 201)
        thread = r.json()
        self.assertEqual(thread["type"], 12)
        self.assertTrue(thread["thread_metadata"]["invitable"])
        self.assertStatus(self.api("GET", f"/channels/{thread['id']}", guest_token), 403)
        self.assertStatus(self.post(guest_token, thread["id"], "let me in"), 403)
        self.assertStatus(self.api("PUT", f"/channels/{thread['id']}/thread-members/@me",
                                   guest_token), 403)
        active = self.api("GET", f"/guilds/{guild}/threads/active", guest_token).json()
        self.assertEqual(active["threads"], [])
        # The guild's owner holds MANAGE_THREADS, and so sees it.
        self.assertStatus(self.api("GET", f"/channels/{thread['id']}", owner_token), 200)

        # Added by a member, the guest is told of the thread and may use it.
        self.assertStatus(self.api("PUT", f"/channels/{thread['id']}/thread-members/{guest}",
                                   starter_token), 204)
        created = self.next_dispatch(guest_ws, "THREAD_CREATE")
        self.assertEqual(created["id"], thread["id"])
        self.assertEqual(created["member"]["user_id"], guest)
        self.assertStatus(self.post(guest_token, thread["id"], "thanks"), 200)
        message = self.next_dispatch(guest_ws, "MESSAGE_CREATE")
        self.assertEqual(message["content"], "thanks")
        # Its events reach its members and the moderators, and nobody else: the outsider's next
        # message is one posted after it in the channel.
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["content"], "thanks")
        self.assertStatus(self.post(starter_token, channel, "in the open"), 200)
        self.assertEqual(self.next_dispatch(outsider_ws, "MESSAGE_CREATE")["content"],
                         "in the open")
        # Search finds it for its members only.
        search = f"/guilds/{guild}/messages/search?content=thanks"
        self.assertEqual(len(self.api("GET", search, guest_token).json()["messages"]), 1)
        self.assertEqual(self.api("GET", search, outsider_token).json()["messages"], [])

        # Not invitable: only moderators add people; only the owner or moderators remove them.
        r = self.api("PATCH", f"/channels/{thread['id']}", starter_token, {"invitable": False})
        self.assertStatus(r, 200)
        self.assertFalse(r.json()["thread_metadata"]["invitable"])
        self.assertStatus(self.api("PUT", f"/channels/{thread['id']}/thread-members/{outsider}",
                                   guest_token), 403)
        self.assertStatus(self.api("DELETE", f"/channels/{thread['id']}/thread-members/{starter}",
                                   guest_token), 403)
        self.assertStatus(self.api("PUT", f"/channels/{thread['id']}/thread-members/{outsider}",
                                   owner_token), 204)
        self.assertStatus(self.api("DELETE", f"/channels/{thread['id']}/thread-members/{guest}",
                                   starter_token), 204)
        self.assertStatus(self.api("GET", f"/channels/{thread['id']}", guest_token), 403)
        self.assertStatus(self.api("GET", f"/channels/{thread['id']}", outsider_token), 200)

        # Nobody is put in a thread of a channel they cannot see.
        staff = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                         {"name": "staff", "permission_overwrites": [
                             {"id": guild, "type": 0, "allow": "0", "deny": str(1 << 10)}]}).json()
        hidden = self.api("POST", f"/channels/{staff['id']}/threads", owner_token,
                          {"name": "appeal", "type": 12}).json()
        r = self.api("PUT", f"/channels/{hidden['id']}/thread-members/{guest}", owner_token)
        self.assertStatus(r, 403)
        self.assertEqual(r.json()["code"], 50001)
        members = self.api("GET", f"/channels/{hidden['id']}/thread-members", owner_token).json()
        self.assertEqual([m["user_id"] for m in members], [owner])

        # Leaving the guild leaves its threads.
        self.assertStatus(self.api("DELETE", f"/guilds/{guild}/members/{outsider}",
                                   owner_token), 204)
        members = self.api("GET", f"/channels/{thread['id']}/thread-members", owner_token).json()
        self.assertEqual([m["user_id"] for m in members], [starter])

        # Private threads need CREATE_PRIVATE_THREADS, public ones CREATE_PUBLIC_THREADS.
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/roles/{guild}", owner_token,
                                   {"permissions": str(EVERYONE_DEFAULT & ~(1 << 36))}), 200)
        self.assertStatus(self.api("POST", f"/channels/{channel}/threads", starter_token,
                                   {"name": "more secrets", "type": 12}), 403)
        self.assertStatus(self.api("POST", f"/channels/{channel}/threads", starter_token,
                                   {"name": "open plans", "type": 11}), 201)
        self.assertStatus(self.api("POST", f"/channels/{channel}/threads", starter_token,
                                   {"name": "bad type", "type": 10}), 400)

        # Archived private threads: the member's own list, and the moderators' full list.
        self.assertStatus(self.api("PATCH", f"/channels/{thread['id']}", starter_token,
                                   {"archived": True}), 200)
        mine = self.api("GET", f"/channels/{channel}/users/@me/threads/archived/private",
                        starter_token)
        self.assertStatus(mine, 200)
        self.assertEqual([t["id"] for t in mine.json()["threads"]], [thread["id"]])
        self.assertStatus(self.api("GET", f"/channels/{channel}/threads/archived/private",
                                   starter_token), 403)
        everything = self.api("GET", f"/channels/{channel}/threads/archived/private",
                              owner_token).json()
        self.assertEqual([t["id"] for t in everything["threads"]], [thread["id"]])
        self.assertFalse(everything["has_more"])

    def test_archiving_reopening_and_locking_follow_discords_rules(self):
        guild, channel, (owner, owner_token), [(member, member_token)] = self.community()
        ws, _ = self.session(member_token)
        thread = self.api("POST", f"/channels/{channel}/threads", member_token,
                          {"name": "weekly", "type": 11}).json()
        self.next_dispatch(ws, "THREAD_CREATE")

        r = self.api("PATCH", f"/channels/{thread['id']}", member_token, {"archived": True})
        self.assertStatus(r, 200)
        self.assertTrue(r.json()["thread_metadata"]["archived"])
        self.assertTrue(self.next_dispatch(ws, "THREAD_UPDATE")["thread_metadata"]["archived"])
        archived = self.api("GET", f"/channels/{channel}/threads/archived/public",
                            member_token).json()
        self.assertEqual([t["id"] for t in archived["threads"]], [thread["id"]])
        self.assertFalse(archived["has_more"])
        active = self.api("GET", f"/guilds/{guild}/threads/active", member_token).json()
        self.assertEqual(active["threads"], [])
        # An archived thread changes only by being reopened.
        for body in ({"name": "renamed"}, ):
            r = self.api("PATCH", f"/channels/{thread['id']}", member_token, body)
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50083)
        r = self.api("PUT", f"/channels/{thread['id']}/thread-members/@me", owner_token)
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50083)
        # A message reopens it.
        self.assertStatus(self.post(member_token, thread["id"], "back again"), 200)
        self.assertFalse(self.next_dispatch(ws, "THREAD_UPDATE")["thread_metadata"]["archived"])
        got = self.api("GET", f"/channels/{thread['id']}", member_token).json()
        self.assertFalse(got["thread_metadata"]["archived"])

        # Locking is for moderators; a locked thread takes messages only from them.
        self.assertStatus(self.api("PATCH", f"/channels/{thread['id']}", member_token,
                                   {"locked": True}), 403)
        r = self.api("PATCH", f"/channels/{thread['id']}", owner_token,
                     {"locked": True, "archived": True})
        self.assertStatus(r, 200)
        self.assertTrue(r.json()["thread_metadata"]["locked"])
        self.assertStatus(self.post(member_token, thread["id"], "hello?"), 403)
        self.assertStatus(self.api("PATCH", f"/channels/{thread['id']}", member_token,
                                   {"archived": False}), 403)
        self.assertStatus(self.post(owner_token, thread["id"], "reopened by a moderator"), 200)
        got = self.api("GET", f"/channels/{thread['id']}", member_token).json()
        self.assertFalse(got["thread_metadata"]["archived"])
        self.assertTrue(got["thread_metadata"]["locked"])
        r = self.api("PATCH", f"/channels/{thread['id']}", owner_token,
                     {"locked": False, "name": "Weekly Sync", "auto_archive_duration": 4320})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], "Weekly Sync")
        self.assertEqual(r.json()["thread_metadata"]["auto_archive_duration"], 4320)
        # Someone else's thread: no renaming without MANAGE_THREADS.
        other = self.api("POST", f"/channels/{channel}/threads", owner_token,
                         {"name": "owner's", "type": 11}).json()
        self.assertStatus(self.api("PATCH", f"/channels/{other['id']}", member_token,
                                   {"name": "mine now"}), 403)

        # Sending in threads takes SEND_MESSAGES_IN_THREADS, not SEND_MESSAGES.
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/roles/{guild}", owner_token,
                                   {"permissions": str(EVERYONE_DEFAULT &
                                                       ~SEND_MESSAGES_IN_THREADS)}), 200)
        self.assertStatus(self.post(member_token, thread["id"], "muted here"), 403)
        self.assertStatus(self.post(member_token, channel, "but not here"), 200)

    def test_deleting_a_thread_or_its_parent_and_webhooks_in_threads(self):
        guild, channel, (owner, owner_token), [(member, member_token)] = self.community()
        ws, _ = self.session(member_token)
        thread = self.api("POST", f"/channels/{channel}/threads", member_token,
                          {"name": "short-lived", "type": 11}).json()
        self.next_dispatch(ws, "THREAD_CREATE")

        hook = self.api("POST", f"/channels/{channel}/webhooks", owner_token,
                        {"name": "Deploys"}).json()
        r = self.api("POST", f"/webhooks/{hook['id']}/{hook['token']}?wait=true"
                     f"&thread_id={thread['id']}", None, {"content": "deployed"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["channel_id"], thread["id"])
        self.assertEqual(r.json()["webhook_id"], hook["id"])
        r_id = r.json()["id"]
        elsewhere = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                             {"name": "elsewhere"}).json()
        other = self.api("POST", f"/channels/{elsewhere['id']}/threads", owner_token,
                         {"name": "not the hook's", "type": 11}).json()
        r = self.api("POST", f"/webhooks/{hook['id']}/{hook['token']}?wait=true"
                     f"&thread_id={other['id']}", None, {"content": "lost"})
        self.assertStatus(r, 404)
        self.assertEqual(r.json()["code"], 10003)
        # It reads, edits and deletes its message there with the same thread_id.
        posted = f"/webhooks/{hook['id']}/{hook['token']}/messages/{r_id}"
        self.assertStatus(self.api("GET", posted), 404)
        self.assertStatus(self.api("GET", posted + f"?thread_id={thread['id']}"), 200)
        edited = self.api("PATCH", posted + f"?thread_id={thread['id']}", None,
                          {"content": "deployed twice"})
        self.assertStatus(edited, 200)
        self.assertEqual(edited.json()["content"], "deployed twice")

        # Nothing changes in an archived thread until it is reopened.
        self.assertStatus(self.api("PATCH", f"/channels/{thread['id']}", member_token,
                                   {"archived": True}), 200)
        mine = self.post(member_token, channel, "a message outside").json()
        for method, path, body in (
                ("PATCH", f"/channels/{thread['id']}/messages/{r_id}", {"content": "x"}),
                ("PUT", f"/channels/{thread['id']}/messages/{r_id}/reactions/%F0%9F%91%8D/@me",
                 None),
                ("PUT", f"/channels/{thread['id']}/pins/{r_id}", None),
                ("POST", f"/channels/{thread['id']}/typing", None)):
            r = self.api(method, path, owner_token, body)
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50083, path)
        self.assertStatus(self.api("PATCH", posted + f"?thread_id={thread['id']}", None,
                                   {"content": "x"}), 400)
        self.assertStatus(self.api("PATCH", f"/channels/{channel}/messages/{mine['id']}",
                                   member_token, {"content": "edited outside"}), 200)

        # Deleting takes MANAGE_THREADS; viewers hear THREAD_DELETE.
        self.assertStatus(self.api("DELETE", f"/channels/{thread['id']}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"/channels/{thread['id']}", owner_token), 200)
        deleted = self.next_dispatch(ws, "THREAD_DELETE")
        self.assertEqual((deleted["id"], deleted["parent_id"], deleted["type"]),
                         (thread["id"], channel, 11))
        self.assertStatus(self.api("GET", f"/channels/{thread['id']}", owner_token), 404)
        self.assertStatus(self.api("GET", f"/channels/{thread['id']}/messages", owner_token), 404)

        # A thread started from a message and deleted takes the mark off the message.
        starter = self.api("POST", f"/channels/{channel}/messages", owner_token,
                           {"content": "discuss"}).json()
        path = f"/channels/{channel}/messages/{starter['id']}"
        self.assertStatus(self.api("POST", path + "/threads", owner_token, {"name": "talk"}), 201)
        self.assertTrue(self.api("GET", path, owner_token).json()["flags"] & 32)
        self.assertStatus(self.api("DELETE", f"/channels/{starter['id']}", owner_token), 200)
        self.assertFalse(self.api("GET", path, owner_token).json()["flags"] & 32)

        # A channel takes its threads with it.
        self.assertStatus(self.api("DELETE", f"/channels/{elsewhere['id']}", owner_token), 200)
        self.assertStatus(self.api("GET", f"/channels/{other['id']}", owner_token), 404)
        active = self.api("GET", f"/guilds/{guild}/threads/active", owner_token).json()
        self.assertEqual(active["threads"], [])


class SqliteThreads(ThreadSuite, ServerTestCase):
    pass


class PostgresThreads(ThreadSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
