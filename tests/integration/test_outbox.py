"""The outbox: what a change calls for is written with the change and done even when the server
stops right after committing it. A poll was ended (counted), messages published (CROSSPOSTED), and
published messages edited and deleted just before the server was killed: after a restart the
poll's POLL_RESULT message is posted, once, each published message's copies reach the following
channels that have none, once each, and the copies show the edit and the deletion. The
state such a kill leaves (the change with its task, the lease of the node that wrote it over) is
written into the database while the server is down, since no test can stop a process between two
statements. SQLite and PostgreSQL."""
import signal
import time
import unittest

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
POLL_RESULT = 46
POLL_RESULT_TASK, CROSSPOST_TASK, SYNC_TASK = 1, 2, 3
DELETED = "[Original Message Deleted]"


class OutboxSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def pending_tasks(self):
        """How many tasks the (stopped) server's database holds."""
        return int(self.server.scalar("SELECT count(*) FROM pending_tasks"))

    def published(self, token, channel, content):
        message = self.api("POST", f"/channels/{channel}/messages", token,
                           {"content": content}).json()["id"]
        self.assertStatus(self.api("POST", f"/channels/{channel}/messages/{message}/crosspost",
                                   token), 200)
        return message

    def copies(self, token, channel, original):
        return [m for m in self.api("GET", f"/channels/{channel}/messages", token).json()
                if m.get("message_reference", {}).get("message_id") == original]

    def results(self, token, channel, poll):
        return [m for m in self.api("GET", f"/channels/{channel}/messages", token).json()
                if m["type"] == POLL_RESULT and m["message_reference"]["message_id"] == poll]

    def test_work_a_killed_server_left_is_done_after_it_restarts(self):
        owner, token = self.user()
        guild, general = self.guild_with_channel(token, "Outbox")
        news = self.api("POST", f"/guilds/{guild}/channels", token,
                        {"name": "news", "type": 5}).json()["id"]
        relays = [self.guild_with_channel(token, name)[1] for name in ("Relay A", "Relay B")]
        for relay in relays:
            self.assertStatus(self.api("POST", f"/channels/{news}/followers", token,
                                       {"webhook_channel_id": relay}), 200)
        # Published while running: a copy in each following channel. Then the first relay's copy
        # goes, as if the server had stopped before posting it.
        earlier = self.api("POST", f"/channels/{news}/messages", token,
                           {"content": "earlier"}).json()["id"]
        self.assertStatus(self.api("POST", f"/channels/{news}/messages/{earlier}/crosspost",
                                   token), 200)
        first = self.copies(token, relays[0], earlier)
        self.assertEqual(len(first), 1)
        self.assertEqual(len(self.copies(token, relays[1], earlier)), 1)
        self.assertStatus(self.api("DELETE", f"/channels/{relays[0]}/messages/{first[0]['id']}",
                                   token), 204)
        later = self.api("POST", f"/channels/{news}/messages", token,
                         {"content": "later"}).json()["id"]
        # Published, edited and deleted while the server runs: the copies follow at once.
        edited, removed, gone = (self.published(token, news, text)
                                 for text in ("edited", "removed", "gone"))
        self.assertStatus(self.api("PATCH", f"/channels/{news}/messages/{edited}", token,
                                   {"content": "edited once"}), 200)
        self.assertStatus(self.api("DELETE", f"/channels/{news}/messages/{gone}", token), 204)
        for relay in relays:
            self.assertEqual([c["content"] for c in self.copies(token, relay, edited)],
                             ["edited once"])
            self.assertEqual([c["content"] for c in self.copies(token, relay, gone)],
                             [DELETED])
        poll = self.api("POST", f"/channels/{general}/messages", token, {"poll": {
            "question": {"text": "Lunch?"},
            "answers": [{"poll_media": {"text": "Pizza"}}, {"poll_media": {"text": "Sushi"}}]}}
        ).json()["id"]
        self.assertStatus(self.api("PUT", f"/channels/{general}/polls/{poll}/answers/@me", token,
                                   {"answer_ids": [2]}), 204)
        # A poll its author ends while the server runs gets its result at once.
        ended = self.api("POST", f"/channels/{general}/messages", token, {"poll": {
            "question": {"text": "Now?"}, "answers": [{"poll_media": {"text": "Yes"}}]}}
        ).json()["id"]
        self.assertStatus(self.api("POST", f"/channels/{general}/polls/{ended}/expire", token),
                          200)
        self.assertEqual(len(self.results(token, general, ended)), 1)

        self.assertEqual(self.server.stop(signal.SIGKILL), -signal.SIGKILL)
        # What the running server did (publishing, an edit, a deletion, a poll ended) left no task
        # behind.
        self.assertEqual(self.pending_tasks(), 0)
        now = int(time.time() * 1000)
        task = ("INSERT INTO pending_tasks (kind, subject_id, channel_id, due_at, attempts) "
                "VALUES ({}, {}, {}, 0, 1)")
        self.server.execute(f"UPDATE polls SET finalized = (1 = 1), expires_at = {now} "
                            f"WHERE message_id = {poll}",
                            task.format(POLL_RESULT_TASK, poll, general),
                            f"UPDATE messages SET flags = flags | 1 WHERE id = {later}",
                            task.format(CROSSPOST_TASK, later, news),
                            task.format(CROSSPOST_TASK, earlier, news),
                            # Published messages edited and deleted, their copies not yet told.
                            f"UPDATE messages SET content = 'edited twice', edited_at = {now} "
                            f"WHERE id = {edited}",
                            task.format(SYNC_TASK, edited, news),
                            f"DELETE FROM messages WHERE id = {removed}",
                            task.format(SYNC_TASK, removed, news))
        self.server.start()

        # The sweep runs as the server starts; this waits for what it writes.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if (self.results(token, general, poll) and self.copies(token, relays[0], earlier)
                    and all(self.copies(token, relay, later) for relay in relays)
                    and all(self.copies(token, relay, edited)[0]["content"] == "edited twice"
                            and self.copies(token, relay, removed)[0]["content"] == DELETED
                            for relay in relays)):
                break
            time.sleep(0.05)  # polling for the restarted server's sweep, not timing it
        result = self.results(token, general, poll)
        self.assertEqual(len(result), 1)
        self.assertEqual((result[0]["author"]["id"], result[0]["embeds"][0]["type"]),
                         (owner, "poll_result"))
        fields = {f["name"]: f["value"] for f in result[0]["embeds"][0]["fields"]}
        self.assertEqual((fields["victor_answer_text"], fields["victor_answer_votes"]),
                         ("Sushi", "1"))
        counted = self.api("GET", f"/channels/{general}/messages/{poll}", token).json()
        self.assertTrue(counted["poll"]["results"]["is_finalized"])
        # Each following channel holds one copy of each published message: the one missing is
        # posted, none twice.
        for relay in relays:
            for original, content in ((earlier, "earlier"), (later, "later")):
                copies = self.copies(token, relay, original)
                self.assertEqual([c["content"] for c in copies], [content], relay)
        for relay in relays:
            for original, content in ((edited, "edited twice"), (removed, DELETED)):
                copies = self.copies(token, relay, original)
                self.assertEqual([c["content"] for c in copies], [content], relay)
            self.assertEqual(self.copies(token, relay, removed)[0]["flags"] & 8, 8)
        published = self.api("GET", f"/channels/{news}/messages/{later}", token).json()
        self.assertEqual(published["flags"] & 1, 1)
        # Each task ended with its work.
        self.assertEqual(self.server.stop(), 0)
        self.assertEqual(self.pending_tasks(), 0)
        self.server.start()


class SqliteOutbox(OutboxSuite, ServerTestCase):
    pass


class PostgresOutbox(OutboxSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
