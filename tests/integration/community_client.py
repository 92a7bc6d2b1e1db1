"""What the suites that build their own communities through the API share (test_threads,
test_emojis): an account registered and logged in, the v10 API with its token, and a gateway
session read up to its guilds' GUILD_CREATE."""
import os

from test_gateway import WsClient

GUILDS = 1 << 0


def unique(prefix):
    return prefix + "_" + os.urandom(4).hex()


class CommunityClient:
    def user(self):
        """A new account: (user id, access token)."""
        name = unique("u")
        r = self.req("POST", "/api/v10/auth/register",
                     {"username": name, "email": name + "@example.com",
                      "password": "StrongP@ss123"})
        self.assertStatus(r, 201)
        r = self.req("POST", "/api/v10/auth/login", {"username": name, "password": "StrongP@ss123"})
        self.assertStatus(r, 200)
        return r.json()["user_id"], r.json()["token"]

    def guild_with_channel(self, token, name):
        """A new guild of the token's user: (guild id, its first text channel's id)."""
        g = self.api("POST", "/guilds", token, {"name": name}).json()
        channel = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                                 token).json() if c["type"] == 0)
        return g["id"], channel

    def join_through(self, owner_token, channel, token):
        """The token's user joins the channel's guild through an invite its owner makes."""
        code = self.api("POST", f"/channels/{channel}/invites", owner_token, {}).json()["code"]
        self.assertStatus(self.api("POST", f"/invites/{code}", token), 200)

    def api(self, method, path, token=None, body=None, **kw):
        return self.req(method, "/api/v10" + path, body, token=token, **kw)

    def session(self, token, intents):
        """A READY session: (the client, its GUILD_CREATE dispatches)."""
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, intents)
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        return ws, [ws.recv() for _ in ready["d"]["guilds"]]

    def next_dispatch(self, ws, t):
        """The `d` of the session's next dispatch of type `t` (others are skipped)."""
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == t:
                return m["d"]
