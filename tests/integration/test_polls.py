"""Polls sent with messages: the create request checked as Discord checks it (SEND_POLLS in guilds),
votes cast, changed and withdrawn through the client route and announced as MESSAGE_POLL_VOTE_ADD/
REMOVE to sessions with the poll intents, counts and the viewer's own votes in every read, the
voters of an answer paged, and a poll ended by its author: counted (MESSAGE_UPDATE) and answered by
a POLL_RESULT message. SQLite and PostgreSQL."""
import unittest
from datetime import datetime, timedelta, timezone

from community_client import CommunityClient, unique
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES = 1 << 0, 1 << 9, 1 << 12
MESSAGE_CONTENT = 1 << 15
GUILD_MESSAGE_POLLS, DIRECT_MESSAGE_POLLS = 1 << 24, 1 << 25
SEND_POLLS = 1 << 49
EVERYONE_DEFAULT = 563330162351681


def poll(*answers, **extra):
    return {"question": {"text": "Lunch?"},
            "answers": [{"poll_media": {"text": a}} for a in answers], **extra}


class PollSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def community(self):
        """A guild with two members: (guild, channel, owner, member, other)."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Polls"}).json()
        channel = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                                 owner[1]).json() if c["type"] == 0)
        code = self.api("POST", f"/channels/{channel}/invites", owner[1], {}).json()["code"]
        member, other = self.user(), self.user()
        for _, token in (member, other):
            self.assertStatus(self.api("POST", f"/invites/{code}", token), 200)
        return g["id"], channel, owner, member, other

    def send_poll(self, channel, token, body=None, **fields):
        r = self.api("POST", f"/channels/{channel}/messages", token,
                     {"poll": body or poll("Pizza", "Sushi", "Salad"), **fields})
        self.assertStatus(r, 200)
        return r.json()

    def vote(self, channel, message, token, answers):
        return self.api("PUT", f"/channels/{channel}/polls/{message}/answers/@me", token,
                        {"answer_ids": answers})

    def counts(self, channel, message, token):
        r = self.api("GET", f"/channels/{channel}/messages/{message}", token)
        self.assertStatus(r, 200)
        return [(c["id"], c["count"], c["me_voted"])
                for c in r.json()["poll"]["results"]["answer_counts"]]

    def test_a_poll_is_checked_sent_and_shown(self):
        guild, channel, (owner, owner_token), (member, member_token), _ = self.community()
        ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES)
        path = f"/channels/{channel}/messages"
        for bad in (poll(), poll(*[str(i) for i in range(11)]), poll("a", duration=0),
                    poll("a", duration=769), poll("a", layout_type=2), poll("x" * 56),
                    {"question": {"text": "q" * 301}, "answers": [{"poll_media": {"text": "a"}}]},
                    {"answers": [{"poll_media": {"text": "a"}}]},
                    poll("a", allow_multiselect="yes"), {**poll("a"), "answers": [{}]}, "poll"):
            r = self.api("POST", path, owner_token, {"poll": bad})
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035, bad)
        unknown = self.api("POST", path, owner_token, {"poll": {
            "question": {"text": "?"}, "answers": [{"poll_media": {
                "text": "a", "emoji": {"id": "123456789012345678"}}}]}})
        self.assertStatus(unknown, 400)
        self.assertEqual(unknown.json()["code"], 520004)

        before = datetime.now(timezone.utc)
        sent = self.send_poll(channel, member_token, poll(
            "Pizza", "Sushi", duration=2, allow_multiselect=True), content="vote please")
        p = sent["poll"]
        self.assertEqual(sent["content"], "vote please")
        self.assertEqual(p["question"], {"text": "Lunch?"})
        self.assertEqual([(a["answer_id"], a["poll_media"]["text"]) for a in p["answers"]],
                         [(1, "Pizza"), (2, "Sushi")])
        self.assertEqual((p["allow_multiselect"], p["layout_type"]), (True, 1))
        self.assertEqual(p["results"], {"is_finalized": False, "answer_counts": []})
        expiry = datetime.fromisoformat(p["expiry"].replace("Z", "+00:00"))
        self.assertLess(abs(expiry - before - timedelta(hours=2)), timedelta(minutes=1))
        seen = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual((seen["id"], seen["poll"]["answers"][1]["poll_media"]["text"]),
                         (sent["id"], "Sushi"))
        # A unicode emoji is shown with its answer; a poll needs no content.
        emoji = self.send_poll(channel, owner_token, {
            "question": {"text": "Mood"},
            "answers": [{"poll_media": {"text": "good", "emoji": {"name": "😀"}}}]})
        self.assertEqual(emoji["poll"]["answers"][0]["poll_media"]["emoji"], {"name": "😀"})
        self.assertEqual(emoji["content"], "")
        # A message holding only its poll is not empty: it can still be edited.
        self.assertStatus(self.api("PATCH", f"{path}/{emoji['id']}", owner_token, {"flags": 4}),
                          200)

        # A poll cannot be edited.
        edit = self.api("PATCH", f"{path}/{sent['id']}", member_token, {"poll": poll("x")})
        self.assertStatus(edit, 400)
        self.assertEqual(edit.json()["code"], 520003)
        # History shows the poll as sent.
        history = self.api("GET", path, owner_token).json()
        self.assertEqual(next(m for m in history if m["id"] == sent["id"])["poll"]["expiry"],
                         p["expiry"])

        # Without SEND_POLLS, a member sends messages but no polls.
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/roles/{guild}", owner_token,
                                   {"permissions": str(EVERYONE_DEFAULT & ~SEND_POLLS)}), 200)
        refused = self.api("POST", path, member_token, {"poll": poll("a")})
        self.assertStatus(refused, 403)
        self.assertEqual(refused.json()["code"], 50013)
        self.assertStatus(self.api("POST", path, member_token, {"content": "still here"}), 200)
        self.send_poll(channel, owner_token)
        # The same holds for a forum post's first message.
        forum = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                         {"name": "ideas", "type": 15}).json()
        post = {"name": "Where to?", "message": {"poll": poll("Park", "Beach")}}
        refused = self.api("POST", f"/channels/{forum['id']}/threads", member_token, post)
        self.assertStatus(refused, 403)
        self.assertEqual(refused.json()["code"], 50013)
        posted = self.api("POST", f"/channels/{forum['id']}/threads", owner_token, post)
        self.assertStatus(posted, 201)
        first = self.api("GET", f"/channels/{posted.json()['id']}/messages", owner_token).json()
        self.assertEqual([a["poll_media"]["text"] for a in first[0]["poll"]["answers"]],
                         ["Park", "Beach"])

    def test_votes_are_counted_announced_and_listed(self):
        guild, channel, (owner, owner_token), (member, member_token), (other, other_token) = \
            self.community()
        watcher, _ = self.session(owner_token, GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_POLLS)
        blind, _ = self.session(owner_token, GUILDS | GUILD_MESSAGES)
        sent = self.send_poll(channel, owner_token)
        mid = sent["id"]
        self.assertEqual(self.next_dispatch(watcher, "MESSAGE_CREATE")["id"], mid)
        self.assertEqual(self.next_dispatch(blind, "MESSAGE_CREATE")["id"], mid)

        self.assertStatus(self.vote(channel, mid, member_token, ["1"]), 204)
        added = self.next_dispatch(watcher, "MESSAGE_POLL_VOTE_ADD")
        self.assertEqual(added, {"user_id": member, "channel_id": channel, "message_id": mid,
                                 "guild_id": guild, "answer_id": 1})
        for bad in (["1", "2"], ["9"], ["0"], ["x"], "1", [1.5]):
            r = self.vote(channel, mid, member_token, bad)
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035, bad)
        # A changed vote: the old answer removed, then the new one added.
        self.assertStatus(self.vote(channel, mid, member_token, [2]), 204)
        removed = watcher.recv()
        self.assertEqual((removed["t"], removed["d"]["answer_id"]), ("MESSAGE_POLL_VOTE_REMOVE", 1))
        added = watcher.recv()
        self.assertEqual((added["t"], added["d"]["answer_id"]), ("MESSAGE_POLL_VOTE_ADD", 2))
        # The same vote again changes nothing and announces nothing.
        self.assertStatus(self.vote(channel, mid, member_token, [2]), 204)
        self.assertStatus(self.vote(channel, mid, other_token, [2]), 204)
        self.assertEqual((watcher.recv()["d"]["user_id"]), other)
        self.assertStatus(self.vote(channel, mid, owner_token, [3]), 204)
        self.assertEqual(self.next_dispatch(watcher, "MESSAGE_POLL_VOTE_ADD")["answer_id"], 3)
        # The session without GUILD_MESSAGE_POLLS got none of them: its next dispatch is this.
        self.api("POST", f"/channels/{channel}/messages", owner_token, {"content": "next"})
        self.assertEqual(blind.recv()["t"], "MESSAGE_CREATE")

        self.assertEqual(self.counts(channel, mid, member_token), [(2, 2, True), (3, 1, False)])
        self.assertEqual(self.counts(channel, mid, owner_token), [(2, 2, False), (3, 1, True)])
        page = self.api("GET", f"/channels/{channel}/messages?limit=5", other_token).json()
        listed = next(m for m in page if m["id"] == mid)["poll"]["results"]["answer_counts"]
        self.assertEqual(listed, [{"id": 2, "count": 2, "me_voted": True},
                                  {"id": 3, "count": 1, "me_voted": False}])

        voters = f"/channels/{channel}/polls/{mid}/answers"
        both = sorted([member, other], key=int)
        self.assertEqual([u["id"] for u in self.api("GET", f"{voters}/2", owner_token)
                          .json()["users"]], both)
        first = self.api("GET", f"{voters}/2?limit=1", owner_token).json()["users"]
        self.assertEqual([u["id"] for u in first], both[:1])
        rest = self.api("GET", f"{voters}/2?after={both[0]}", owner_token).json()["users"]
        self.assertEqual([u["id"] for u in rest], both[1:])
        self.assertEqual(self.api("GET", f"{voters}/1", owner_token).json(), {"users": []})
        for bad in ("7", "x", "2?limit=0", "2?limit=101", "2?after=abc"):
            self.assertStatus(self.api("GET", f"{voters}/{bad}", owner_token), 400)

        # Withdrawing: an empty list.
        self.assertStatus(self.vote(channel, mid, member_token, []), 204)
        removed = self.next_dispatch(watcher, "MESSAGE_POLL_VOTE_REMOVE")
        self.assertEqual((removed["user_id"], removed["answer_id"]), (member, 2))
        self.assertEqual(self.counts(channel, mid, member_token), [(2, 1, False), (3, 1, False)])

        # A message without a poll takes no votes; a stranger sees no poll; bots do not vote.
        plain = self.api("POST", f"/channels/{channel}/messages", owner_token,
                         {"content": "no poll"}).json()
        self.assertStatus(self.vote(channel, plain["id"], member_token, [1]), 400)
        stranger = self.user()
        self.assertStatus(self.vote(channel, mid, stranger[1], [1]), 403)
        self.assertStatus(self.api("GET", f"{voters}/2", stranger[1]), 403)
        app = self.api("POST", "/applications", owner_token, {"name": unique("app")}).json()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        code = self.api("POST", f"/channels/{channel}/invites", owner_token, {}).json()["code"]
        self.assertStatus(self.req("POST", f"/api/v10/invites/{code}", headers=bot), 200)
        r = self.req("PUT", f"/api/v10/channels/{channel}/polls/{mid}/answers/@me",
                     {"answer_ids": [1]}, headers=bot)
        self.assertStatus(r, 403)
        self.assertEqual(r.json()["code"], 20001)
        # Bots read voters, and see polls only with MESSAGE_CONTENT.
        self.assertStatus(self.req("GET", f"/api/v10{voters}/3", headers=bot), 200)
        without, _ = self.session(app["bot"]["token"], GUILDS | GUILD_MESSAGES)
        with_content, _ = self.session(app["bot"]["token"],
                                       GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        again = self.send_poll(channel, member_token)
        self.assertNotIn("poll", self.next_dispatch(without, "MESSAGE_CREATE"))
        self.assertEqual(self.next_dispatch(with_content, "MESSAGE_CREATE")["poll"]["question"],
                         again["poll"]["question"])

    def test_the_author_ends_a_poll_and_its_result_is_posted(self):
        guild, channel, (owner, owner_token), (member, member_token), (other, other_token) = \
            self.community()
        ws, _ = self.session(other_token, GUILDS | GUILD_MESSAGES)
        sent = self.send_poll(channel, member_token, poll("Pizza", "Sushi", "Salad",
                                                           allow_multiselect=True))
        mid = sent["id"]
        self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertStatus(self.vote(channel, mid, member_token, [1, 2]), 204)
        self.assertStatus(self.vote(channel, mid, other_token, [2]), 204)
        self.assertStatus(self.vote(channel, mid, owner_token, ["3", "2"]), 204)

        expire = f"/channels/{channel}/polls/{mid}/expire"
        refused = self.api("POST", expire, owner_token)
        self.assertStatus(refused, 403)
        self.assertEqual(refused.json()["code"], 50005)
        before = datetime.now(timezone.utc)
        r = self.api("POST", expire, member_token)
        self.assertStatus(r, 200)
        ended = r.json()["poll"]
        self.assertEqual(ended["results"], {"is_finalized": True, "answer_counts": [
            {"id": 1, "count": 1, "me_voted": True}, {"id": 2, "count": 3, "me_voted": True},
            {"id": 3, "count": 1, "me_voted": False}]})
        expiry = datetime.fromisoformat(ended["expiry"].replace("Z", "+00:00"))
        self.assertLess(abs(expiry - before), timedelta(seconds=30))

        update = self.next_dispatch(ws, "MESSAGE_UPDATE")
        self.assertEqual((update["id"], update["poll"]["results"]["is_finalized"]), (mid, True))
        result = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual((result["type"], result["author"]["id"], result["guild_id"]),
                         (46, member, guild))
        self.assertEqual(result["message_reference"]["message_id"], mid)
        embed = result["embeds"][0]
        self.assertEqual(embed["type"], "poll_result")
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        self.assertEqual(fields, {"poll_question_text": "Lunch?", "victor_answer_votes": "3",
                                  "total_votes": "5", "victor_answer_id": "2",
                                  "victor_answer_text": "Sushi"})

        late = self.vote(channel, mid, other_token, [1])
        self.assertStatus(late, 400)
        self.assertEqual(late.json()["code"], 520001)
        self.assertEqual(self.api("POST", expire, member_token).json()["code"], 520001)
        plain = self.api("POST", f"/channels/{channel}/messages", member_token,
                         {"content": "no poll"}).json()
        r = self.api("POST", f"/channels/{channel}/polls/{plain['id']}/expire", member_token)
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 520006)

        # A tie has no victor; deleting a poll takes its votes along.
        tie = self.send_poll(channel, member_token, poll("a", "b"))
        self.assertStatus(self.vote(channel, tie["id"], member_token, [1]), 204)
        self.assertStatus(self.vote(channel, tie["id"], other_token, [2]), 204)
        self.assertStatus(self.api("POST", f"/channels/{channel}/polls/{tie['id']}/expire",
                                   member_token), 200)
        result = [m for m in self.api("GET", f"/channels/{channel}/messages?limit=1",
                                      owner_token).json()][0]
        self.assertEqual(result["type"], 46)
        fields = {f["name"]: f["value"] for f in result["embeds"][0]["fields"]}
        self.assertEqual(fields, {"poll_question_text": "Lunch?", "victor_answer_votes": "1",
                                  "total_votes": "2"})
        self.assertStatus(self.api("DELETE", f"/channels/{channel}/messages/{mid}",
                                   member_token), 204)
        gone = self.api("GET", f"/channels/{channel}/polls/{mid}/answers/2", owner_token)
        self.assertStatus(gone, 404)
        self.assertEqual(gone.json()["code"], 10008)

    def test_a_poll_in_a_dm_is_voted_on_with_the_dm_intent(self):
        _, _, (owner, owner_token), (member, member_token), _ = self.community()
        dm = self.api("POST", "/users/@me/channels", owner_token, {"recipient_id": member}).json()
        ws, _ = self.session(owner_token, DIRECT_MESSAGES | DIRECT_MESSAGE_POLLS)
        sent = self.send_poll(dm["id"], owner_token)
        self.assertEqual(self.next_dispatch(ws, "MESSAGE_CREATE")["poll"]["question"]["text"],
                         "Lunch?")
        self.assertStatus(self.vote(dm["id"], sent["id"], member_token, [3]), 204)
        added = self.next_dispatch(ws, "MESSAGE_POLL_VOTE_ADD")
        self.assertEqual(added, {"user_id": member, "channel_id": dm["id"],
                                 "message_id": sent["id"], "answer_id": 3})


class SqlitePolls(PollSuite, ServerTestCase):
    pass


class PostgresPolls(PollSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
