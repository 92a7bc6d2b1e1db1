"""Forum channels (type 15): created with their tags, default reaction, default slowmode and
layout; nothing is sent in a forum itself; a post is a thread started with its message (JSON or
multipart with a file), which takes the thread's id; tags are checked (the forum's only, at most
five, moderated ones for moderators, REQUIRE_TAG) on posting and on PATCH; a post whose message
cannot be sent leaves nothing behind; posts are listed, archived and talked in like threads.
SQLite and PostgreSQL."""
import json
import unittest
import uuid

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_MESSAGES, MESSAGE_CONTENT = 1 << 0, 1 << 9, 1 << 15
REQUIRE_TAG = 1 << 4
SEND_MESSAGES = 1 << 11
SEND_MESSAGES_IN_THREADS = 1 << 38


class ForumSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def setup_forum(self, **extra):
        """A guild with a member and a forum: (guild, forum, owner, member)."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Forums"}).json()
        code = self.api("POST", f"/channels/{self.general(g['id'], owner[1])}/invites", owner[1],
                        {}).json()["code"]
        member = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
        body = {"name": "Help Desk", "type": 15, "topic": "Ask here",
                "available_tags": [{"name": "bug"}, {"name": "idea", "emoji_name": "💡"},
                                   {"name": "solved", "moderated": True}],
                "default_reaction_emoji": {"emoji_name": "👍"},
                "default_thread_rate_limit_per_user": 30, "default_forum_layout": 1, **extra}
        r = self.api("POST", f"/guilds/{g['id']}/channels", owner[1], body)
        self.assertStatus(r, 201)
        return g["id"], r.json(), owner, member

    def general(self, guild, token):
        return next(c["id"] for c in self.api("GET", f"/guilds/{guild}/channels", token).json()
                    if c["type"] == 0)

    def tag(self, forum, name):
        return next(t["id"] for t in forum["available_tags"] if t["name"] == name)

    def post(self, forum_id, token, name, content="first", tags=()):
        return self.api("POST", f"/channels/{forum_id}/threads", token,
                        {"name": name, "applied_tags": list(tags),
                         "message": {"content": content}})

    def test_a_forum_keeps_its_settings_and_takes_no_messages(self):
        guild, forum, (owner, owner_token), (member, member_token) = self.setup_forum()
        self.assertEqual((forum["type"], forum["name"], forum["topic"]), (15, "help-desk", "Ask here"))
        self.assertEqual([(t["name"], t["moderated"], t["emoji_name"])
                          for t in forum["available_tags"]],
                         [("bug", False, None), ("idea", False, "💡"), ("solved", True, None)])
        self.assertEqual(forum["default_reaction_emoji"], {"emoji_id": None, "emoji_name": "👍"})
        self.assertEqual((forum["default_thread_rate_limit_per_user"],
                          forum["default_forum_layout"], forum["default_sort_order"]), (30, 1, None))
        listed = [c for c in self.api("GET", f"/guilds/{guild}/channels", member_token).json()
                  if c["id"] == forum["id"]]
        self.assertEqual(listed[0]["available_tags"], forum["available_tags"])
        r = self.api("POST", f"/channels/{forum['id']}/messages", member_token, {"content": "hi"})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50008)
        # A thread without its message does not start in a forum.
        self.assertStatus(self.api("POST", f"/channels/{forum['id']}/threads", member_token,
                                   {"name": "no message", "type": 11}), 400)

        # PATCH: a kept tag keeps its id, a new one gets one; absent settings stay.
        bug = self.tag(forum, "bug")
        r = self.api("PATCH", f"/channels/{forum['id']}", owner_token, {
            "available_tags": [{"id": bug, "name": "bugs"}, {"name": "question"}],
            "flags": REQUIRE_TAG})
        self.assertStatus(r, 200)
        patched = r.json()
        self.assertEqual(patched["available_tags"][0]["id"], bug)
        self.assertEqual([t["name"] for t in patched["available_tags"]], ["bugs", "question"])
        self.assertEqual((patched["flags"], patched["default_forum_layout"]), (REQUIRE_TAG, 1))
        for bad in ({"available_tags": [{"name": "x" * 21}]},
                    {"available_tags": [{"name": "a"}, {"name": "a"}]},
                    {"available_tags": [{"name": str(i)} for i in range(21)]},
                    {"default_forum_layout": 3}, {"default_sort_order": 2}, {"flags": 1}):
            self.assertStatus(self.api("PATCH", f"/channels/{forum['id']}", owner_token, bad),
                              400)

    def test_a_post_is_a_thread_started_with_its_message(self):
        guild, forum, (owner, owner_token), (member, member_token) = self.setup_forum()
        ws, _ = self.session(owner_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        bug, idea, solved = (self.tag(forum, n) for n in ("bug", "idea", "solved"))
        r = self.post(forum["id"], member_token, "Crash on start", "It crashes.", [bug, idea])
        self.assertStatus(r, 201)
        post = r.json()
        self.assertEqual((post["type"], post["parent_id"], post["owner_id"], post["name"]),
                         (11, forum["id"], member, "Crash on start"))
        self.assertEqual(post["applied_tags"], [bug, idea])
        self.assertEqual(post["rate_limit_per_user"], 30)  # the forum's default
        self.assertEqual((post["message"]["id"], post["message"]["channel_id"],
                          post["message"]["content"]), (post["id"], post["id"], "It crashes."))
        created = self.next_dispatch(ws, "THREAD_CREATE")
        self.assertEqual((created["id"], created["applied_tags"]), (post["id"], [bug, idea]))
        self.assertEqual(self.next_dispatch(ws, "MESSAGE_CREATE")["id"], post["id"])
        history = self.api("GET", f"/channels/{post['id']}/messages", owner_token).json()
        self.assertEqual([m["content"] for m in history], ["It crashes."])
        # Others answer in it; it is listed among the guild's active threads.
        self.assertStatus(self.api("POST", f"/channels/{post['id']}/messages", owner_token,
                                   {"content": "Fixed."}), 200)
        active = self.api("GET", f"/guilds/{guild}/threads/active", member_token).json()
        self.assertIn(post["id"], [t["id"] for t in active["threads"]])

        # Tags: the forum's, at most five, once each; moderated ones for moderators.
        for tags, status in (([solved], 403), (["1234"], 400), ([bug, bug], 400)):
            self.assertStatus(self.post(forum["id"], member_token, "x", tags=tags), status)
        self.assertStatus(self.post(forum["id"], owner_token, "Known issue", tags=[solved]), 201)
        path = f"/channels/{post['id']}"
        self.assertStatus(self.api("PATCH", path, member_token, {"applied_tags": [solved]}), 403)
        r = self.api("PATCH", path, member_token, {"applied_tags": [idea]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["applied_tags"], [idea])
        r = self.api("PATCH", path, owner_token, {"applied_tags": [idea, solved]})
        self.assertEqual(r.json()["applied_tags"], [idea, solved])
        # Only its owner or a moderator retags a post.
        other = self.user()
        code = self.api("POST", f"/channels/{self.general(guild, owner_token)}/invites",
                        owner_token, {}).json()["code"]
        self.assertStatus(self.api("POST", f"/invites/{code}", other[1]), 200)
        self.assertStatus(self.api("PATCH", path, other[1], {"applied_tags": [bug]}), 403)
        # Archived with the other threads.
        self.assertStatus(self.api("PATCH", path, owner_token, {"archived": True}), 200)
        archived = self.api("GET", f"/channels/{forum['id']}/threads/archived/public",
                            member_token).json()
        self.assertEqual([t["id"] for t in archived["threads"]], [post["id"]])

    def test_required_tags_rights_and_a_message_that_cannot_be_sent(self):
        guild, forum, (owner, owner_token), (member, member_token) = self.setup_forum(
            flags=REQUIRE_TAG)
        self.assertEqual(forum["flags"], REQUIRE_TAG)
        self.assertStatus(self.post(forum["id"], member_token, "untagged"), 400)
        # An empty or oversized message starts no post.
        bug = self.tag(forum, "bug")
        for message in ({}, {"content": ""}, {"content": "x" * 2001}):
            r = self.api("POST", f"/channels/{forum['id']}/threads", member_token,
                         {"name": "empty", "applied_tags": [bug], "message": message})
            self.assertStatus(r, 400)
        active = self.api("GET", f"/guilds/{guild}/threads/active", owner_token).json()
        self.assertEqual(active["threads"], [])
        # Posting takes SEND_MESSAGES in the forum (threads' own right is not needed).
        self.assertStatus(self.api("PUT", f"/channels/{forum['id']}/permissions/{guild}",
                                   owner_token, {"type": 0, "allow": "0",
                                                 "deny": str(SEND_MESSAGES_IN_THREADS)}), 204)
        self.assertStatus(self.post(forum["id"], member_token, "allowed", tags=[bug]), 201)
        self.assertStatus(self.api("PUT", f"/channels/{forum['id']}/permissions/{guild}",
                                   owner_token, {"type": 0, "allow": "0",
                                                 "deny": str(SEND_MESSAGES)}), 204)
        self.assertStatus(self.post(forum["id"], member_token, "denied", tags=[bug]), 403)

    def test_the_forums_slowmode_spaces_a_members_posts(self):
        guild, forum, (owner, owner_token), (member, member_token) = self.setup_forum()
        self.assertStatus(self.api("PATCH", f"/channels/{forum['id']}", owner_token,
                                   {"rate_limit_per_user": 60}), 200)
        self.assertStatus(self.post(forum["id"], member_token, "one"), 201)
        again = self.post(forum["id"], member_token, "two")
        self.assertStatus(again, 429)
        self.assertEqual(again.json()["code"], 20016)
        self.assertStatus(self.post(forum["id"], owner_token, "moderators are not held"), 201)

    def test_a_post_with_a_file_as_discord_libraries_send_it(self):
        guild, forum, (owner, owner_token), (member, member_token) = self.setup_forum()
        boundary = uuid.uuid4().hex
        payload = {"name": "Logs attached", "message": {
            "content": "see the log", "attachments": [{"id": 0, "filename": "log.txt"}]}}
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                f"Content-Type: application/json\r\n\r\n{json.dumps(payload)}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[0]\"; "
                f"filename=\"log.txt\"\r\nContent-Type: text/plain\r\n\r\nline one\r\n"
                f"--{boundary}--\r\n").encode()
        r = self.req("POST", f"/api/v10/channels/{forum['id']}/threads", body,
                     headers={"Authorization": f"Bearer {member_token}",
                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
        self.assertStatus(r, 201)
        message = r.json()["message"]
        self.assertEqual([a["filename"] for a in message["attachments"]], ["log.txt"])
        self.assertEqual(message["id"], r.json()["id"])


class SqliteForums(ForumSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresForums(ForumSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
