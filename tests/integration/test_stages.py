"""Stage channels (type 13) and their live stages (/stage-instances): a stage is started, retitled
and ended by the channel's moderators, one at a time, seen by those who see the channel, announced
(STAGE_INSTANCE_*), audited and carried by GUILD_CREATE; a stage started for a scheduled stage
event makes it ACTIVE, and ending it completes the event. SQLite and PostgreSQL."""
import unittest
from datetime import datetime, timedelta, timezone

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_SCHEDULED_EVENTS = 1 << 0, 1 << 16
VIEW_CHANNEL = 1 << 10


class StageSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def community(self):
        """A guild with a member and a stage channel: (guild, stage, owner, member)."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Stages"}).json()
        general = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                                 owner[1]).json() if c["type"] == 0)
        code = self.api("POST", f"/channels/{general}/invites", owner[1], {}).json()["code"]
        member = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
        r = self.api("POST", f"/guilds/{g['id']}/channels", owner[1],
                     {"name": "Town Hall", "type": 13, "user_limit": 500})
        self.assertStatus(r, 201)
        return g["id"], r.json(), owner, member

    def session(self, token, intents=GUILDS | GUILD_SCHEDULED_EVENTS):
        return CommunityClient.session(self, token, intents)

    def test_a_stage_is_started_retitled_and_ended_by_its_moderators(self):
        guild, stage, (owner, owner_token), (member, member_token) = self.community()
        self.assertEqual((stage["type"], stage["user_limit"], stage["bitrate"]), (13, 500, 64000))
        # A voice channel takes 99 at most.
        self.assertStatus(self.api("POST", f"/guilds/{guild}/channels", owner_token,
                                   {"name": "Big", "type": 2, "user_limit": 500}), 400)
        general = next(c["id"] for c in self.api("GET", f"/guilds/{guild}/channels",
                                                 owner_token).json() if c["type"] == 0)
        ws, _ = self.session(member_token)

        body = {"channel_id": stage["id"], "topic": "Quarterly update", "privacy_level": 2}
        self.assertStatus(self.api("POST", "/stage-instances", member_token, body), 403)
        wrong = self.api("POST", "/stage-instances", owner_token, {**body, "channel_id": general})
        self.assertStatus(wrong, 400)
        self.assertEqual(wrong.json()["code"], 50024)
        for bad in ({**body, "topic": ""}, {**body, "topic": "x" * 121}, {"topic": "no channel"},
                    {**body, "privacy_level": 1}):
            self.assertStatus(self.api("POST", "/stage-instances", owner_token, bad), 400)

        r = self.api("POST", "/stage-instances", owner_token, body,
                     headers={"X-Audit-Log-Reason": "all hands"})
        self.assertStatus(r, 200)
        live = r.json()
        self.assertEqual((live["channel_id"], live["guild_id"], live["topic"]),
                         (stage["id"], guild, "Quarterly update"))
        self.assertIsNone(live["guild_scheduled_event_id"])
        self.assertEqual(self.next_dispatch(ws, "STAGE_INSTANCE_CREATE")["id"], live["id"])
        again = self.api("POST", "/stage-instances", owner_token, body)
        self.assertStatus(again, 400)
        self.assertEqual(again.json()["code"], 150006)

        got = self.api("GET", f"/stage-instances/{stage['id']}", member_token)
        self.assertStatus(got, 200)
        self.assertEqual(got.json()["topic"], "Quarterly update")
        _, creates = self.session(member_token)
        self.assertEqual([s["id"] for s in creates[0]["d"]["stage_instances"]], [live["id"]])
        # Nothing is sent in a stage channel here.
        sent = self.api("POST", f"/channels/{stage['id']}/messages", owner_token,
                        {"content": "hi"})
        self.assertStatus(sent, 400)
        self.assertEqual(sent.json()["code"], 50008)

        self.assertStatus(self.api("PATCH", f"/stage-instances/{stage['id']}", member_token,
                                   {"topic": "mine now"}), 403)
        r = self.api("PATCH", f"/stage-instances/{stage['id']}", owner_token,
                     {"topic": "Q3 update"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["topic"], "Q3 update")
        self.assertEqual(self.next_dispatch(ws, "STAGE_INSTANCE_UPDATE")["topic"], "Q3 update")
        self.assertStatus(self.api("DELETE", f"/stage-instances/{stage['id']}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"/stage-instances/{stage['id']}", owner_token), 204)
        self.assertEqual(self.next_dispatch(ws, "STAGE_INSTANCE_DELETE")["id"], live["id"])
        gone = self.api("GET", f"/stage-instances/{stage['id']}", member_token)
        self.assertStatus(gone, 404)
        self.assertEqual(gone.json()["code"], 10067)

        entries = self.api("GET", f"/guilds/{guild}/audit-logs", owner_token).json()
        actions = [(e["action_type"], e["target_id"]) for e in entries["audit_log_entries"]
                   if e["action_type"] in (83, 84, 85)]
        self.assertEqual(sorted(actions), [(83, live["id"]), (84, live["id"]), (85, live["id"])])
        created = next(e for e in entries["audit_log_entries"] if e["action_type"] == 83)
        self.assertEqual((created["reason"], created["options"]["channel_id"]),
                         ("all hands", stage["id"]))

    def test_a_hidden_stage_is_not_seen(self):
        guild, _, (owner, owner_token), (member, member_token) = self.community()
        hidden = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                          {"name": "Green Room", "type": 13, "permission_overwrites": [
                              {"id": guild, "type": 0, "deny": str(VIEW_CHANNEL)}]}).json()
        ws, _ = self.session(member_token)
        self.assertStatus(self.api("POST", "/stage-instances", owner_token,
                                   {"channel_id": hidden["id"], "topic": "rehearsal"}), 200)
        self.assertIn(self.api("GET", f"/stage-instances/{hidden['id']}", member_token).status,
                      (403, 404))
        _, creates = self.session(member_token)
        self.assertEqual(creates[0]["d"]["stage_instances"], [])
        # The member's next dispatch is the one after it: the stage was not announced to them.
        self.api("POST", f"/guilds/{guild}/channels", owner_token, {"name": "after"})
        self.assertEqual(ws.recv()["t"], "CHANNEL_CREATE")

    def test_a_stage_started_for_its_event_runs_the_event(self):
        guild, stage, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(member_token)
        start = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
        event = self.api("POST", f"/guilds/{guild}/scheduled-events", owner_token,
                         {"name": "Town hall", "privacy_level": 2, "entity_type": 1,
                          "channel_id": stage["id"], "scheduled_start_time": start})
        self.assertStatus(event, 200)
        event = event.json()
        self.assertEqual((event["entity_type"], event["channel_id"]), (1, stage["id"]))
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_CREATE")["id"],
                         event["id"])
        external = self.api("POST", f"/guilds/{guild}/scheduled-events", owner_token,
                            {"name": "Elsewhere", "privacy_level": 2, "entity_type": 3,
                             "scheduled_start_time": start,
                             "scheduled_end_time": (datetime.now(timezone.utc) +
                                                    timedelta(hours=2)).isoformat(),
                             "entity_metadata": {"location": "pub"}}).json()
        self.assertStatus(self.api("POST", "/stage-instances", owner_token,
                                   {"channel_id": stage["id"], "topic": "t",
                                    "guild_scheduled_event_id": external["id"]}), 400)

        r = self.api("POST", "/stage-instances", owner_token,
                     {"channel_id": stage["id"], "topic": "Town hall",
                      "guild_scheduled_event_id": event["id"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["guild_scheduled_event_id"], event["id"])
        started = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_UPDATE")
        self.assertEqual((started["id"], started["status"]), (event["id"], 2))
        self.assertStatus(self.api("DELETE", f"/stage-instances/{stage['id']}", owner_token), 204)
        ended = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_UPDATE")
        self.assertEqual((ended["id"], ended["status"]), (event["id"], 3))
        got = self.api("GET", f"/guilds/{guild}/scheduled-events/{event['id']}", member_token)
        self.assertEqual(got.json()["status"], 3)

        # The other way round: starting a stage event opens its stage, ending it closes it.
        talk = self.api("POST", f"/guilds/{guild}/scheduled-events", owner_token,
                        {"name": "Fireside chat", "privacy_level": 2, "entity_type": 1,
                         "channel_id": stage["id"], "scheduled_start_time": start}).json()
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/scheduled-events/{talk['id']}",
                                   owner_token, {"status": 2}), 200)
        opened = self.next_dispatch(ws, "STAGE_INSTANCE_CREATE")
        self.assertEqual((opened["topic"], opened["guild_scheduled_event_id"]),
                         ("Fireside chat", talk["id"]))
        self.assertEqual(self.api("GET", f"/stage-instances/{stage['id']}",
                                  member_token).json()["id"], opened["id"])
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/scheduled-events/{talk['id']}",
                                   owner_token, {"status": 3}), 200)
        self.assertEqual(self.next_dispatch(ws, "STAGE_INSTANCE_DELETE")["id"], opened["id"])
        self.assertStatus(self.api("GET", f"/stage-instances/{stage['id']}", member_token), 404)

        # Deleting the channel takes its events and its stage with it, and says so (of the events
        # that had not finished: clients no longer hold finished ones).
        next_event = self.api("POST", f"/guilds/{guild}/scheduled-events", owner_token,
                              {"name": "Next", "privacy_level": 2, "entity_type": 1,
                               "channel_id": stage["id"], "scheduled_start_time": start}).json()
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_CREATE")["id"],
                         next_event["id"])
        self.assertStatus(self.api("POST", "/stage-instances", owner_token,
                                   {"channel_id": stage["id"], "topic": "again"}), 200)
        self.assertEqual(self.next_dispatch(ws, "STAGE_INSTANCE_CREATE")["topic"], "again")
        self.assertStatus(self.api("DELETE", f"/channels/{stage['id']}", owner_token), 200)
        told = [ws.recv() for _ in range(3)]
        self.assertEqual([(m["t"], m["d"]["id"]) for m in told],
                         [("GUILD_SCHEDULED_EVENT_DELETE", next_event["id"]),
                          ("STAGE_INSTANCE_DELETE", told[1]["d"]["id"]),
                          ("CHANNEL_DELETE", stage["id"])])
        self.assertStatus(self.api("GET", f"/guilds/{guild}/scheduled-events/{next_event['id']}",
                                   owner_token), 404)


class SqliteStages(StageSuite, ServerTestCase):
    pass


class PostgresStages(StageSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
