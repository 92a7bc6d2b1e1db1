"""An unmodified discord.py 2 bot (Debian's python3-discord) against chat-server.

It is pointed at the server the only way discord.py allows (its REST base, gateway and CDN are
class attributes), logs in with a bot token whose bot holds an administrator role in guild 1, and
then, each step waiting for the event a real bot would see:
  ready with guild 1, its channels, roles and the bot's own member; send, edit, reply, embed,
  react, pin, history; upload a file and download it; messages, edits, reactions and deletions of
  another user (on_message, on_raw_message_edit, on_reaction_add, on_raw_message_delete); a
  newcomer's on_member_join; roles, channels and overwrites (on_guild_role_create,
  on_guild_channel_create/delete); invites; threads (on_thread_create, post, archive, archived
  list, a thread from a message); a forum with tags and a tagged post (create_forum,
  create_thread with content, retagging); a webhook's send with wait; an announcement channel
  followed and a message published there arriving as its copy; a custom emoji
  (on_guild_emojis_update, its image); a sticker uploaded (on_guild_stickers_update, its image),
  sent in a message, renamed and deleted; an auto moderation rule (on_automod_rule_create) that
  blocks another user's message (on_automod_action); scheduled events (made with a cover image, started,
  ended, a member's interest listed, a voice channel's event deleted); a stage channel's stage started, retitled and
  ended (on_stage_instance_*); a group DM another user adds the bot to (fetched as a
  GroupChannel, a message heard and answered there, left); audit log; purge (on_raw_bulk_message_delete); a dropped
  connection resumed (on_resumed) without losing the message sent meanwhile; application
  commands synced and answered; a View's menu and button used by another user.
Prints OK and exits 0 when every step happened; exits 1 naming the failing step (60 s at most).
  python3 client.py PORT BOT_TOKEN OTHER_USER_TOKEN INVITE_CODE
"""
import asyncio
import base64
import datetime
import io
import json
import sys
import time
import urllib.error
import urllib.request

import discord
from discord import app_commands
import yarl
from discord.http import Route

PORT, TOKEN, OTHER, INVITE = sys.argv[1:5]
BASE = f"http://127.0.0.1:{PORT}"
Route.BASE = f"{BASE}/api/v10"
discord.Asset.BASE = BASE
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{PORT}/")
# A 1x1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4"
                       "AAAAAElFTkSuQmCC")

intents = discord.Intents.default()
intents.message_content = True
intents.members = True
client = discord.Client(intents=intents)
tree = app_commands.CommandTree(client)


@tree.command(name="echo", description="repeats what it is given")
@app_commands.describe(text="what to repeat", times="how often")
async def echo(interaction: discord.Interaction, text: str, times: int = 1):
    await interaction.response.send_message(text * times)


@tree.command(name="slow", description="thinks before it answers")
async def slow(interaction: discord.Interaction):
    await interaction.response.defer(thinking=True)
    await interaction.edit_original_response(content=f"thought about it, {interaction.user.name}")
    await interaction.followup.send("and one more thing")
    original = await interaction.original_response()
    await original.edit(content=original.content + "!")


class Approval(discord.ui.View):
    """A button that approves (updating its message, without the View) and a size menu."""

    def __init__(self):
        super().__init__(timeout=30)

    @discord.ui.button(label="Approve", style=discord.ButtonStyle.success)
    async def approve(self, interaction: discord.Interaction, button: discord.ui.Button):
        await interaction.response.edit_message(content=f"approved by {interaction.user.name}",
                                                view=None)

    @discord.ui.select(placeholder="Size", options=[discord.SelectOption(label="Small", value="s"),
                                                    discord.SelectOption(label="Large", value="l")])
    async def size(self, interaction: discord.Interaction, select: discord.ui.Select):
        await interaction.response.send_message(f"picked {select.values[0]}")


step = "login"


def other_api(method, path, body=None, token=OTHER):
    """Another user's REST call, off the bot's event loop (urllib blocks)."""
    def call():
        req = urllib.request.Request(
            f"{BASE}/api/v10{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read()
            return json.loads(text) if text else None
    return asyncio.to_thread(call)


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


async def wait(event, check, action):
    """Runs ACTION and returns the EVENT that passes CHECK; a listener set up before the action,
    so that an event which arrives before the action's answer is not missed."""
    waiter = asyncio.ensure_future(client.wait_for(event, check=check, timeout=10))
    await asyncio.sleep(0)  # lets wait_for register its listener
    result = await action
    return await waiter, result


async def run():
    global step
    step = "ready"
    guild = client.get_guild(1)
    expect(guild is not None, "guild 1 not cached at ready")
    channel = guild.get_channel(1)
    expect(isinstance(channel, discord.TextChannel), f"channel 1 is {channel!r}")
    expect(guild.default_role.id == 1 and guild.me is not None, "roles or own member missing")
    expect(guild.me.guild_permissions.administrator, "the bot's admin role did not arrive")

    step = "send"
    sent = await channel.send("hello from discord.py")
    expect(sent.author.id == client.user.id, "author")
    step = "edit"
    edited = await sent.edit(content="edited by discord.py")
    expect(edited.content == "edited by discord.py" and edited.edited_at, "edit not applied")
    step = "reply"
    reply = await sent.reply("a reply", mention_author=False)
    expect(reply.reference and reply.reference.message_id == sent.id, "reply without reference")
    step = "embed"
    em = await channel.send(embed=discord.Embed(title="title", description="body"))
    expect(em.embeds and em.embeds[0].title == "title", "embed lost")
    step = "react"
    await sent.add_reaction("👍")
    fetched = await channel.fetch_message(sent.id)
    expect(fetched.reactions and fetched.reactions[0].me, "reaction not recorded")
    step = "pin"
    await sent.pin()
    expect(sent.id in [m.id for m in await channel.pins()], "pin missing")
    await sent.unpin()
    step = "history"
    history = [m async for m in channel.history(limit=10)]
    expect(sent.id in [m.id for m in history], "own message missing from history")
    expect(history[0].id >= history[-1].id, "history not newest first")

    step = "upload"
    up = await channel.send("a file", file=discord.File(io.BytesIO(b"hello file"), "hello.txt"))
    expect(up.attachments and up.attachments[0].filename == "hello.txt", "attachment")
    expect(await up.attachments[0].read() == b"hello file", "download")

    step = "on_message from another user"
    msg, posted = await wait("message", lambda m: m.content == "ping from another user",
                             other_api("POST", "/channels/1/messages",
                                       {"content": "ping from another user"}))
    expect(msg.author.id != client.user.id and str(msg.author.id) == posted["author"]["id"],
           "author confused")
    step = "on_raw_message_edit"
    raw, _ = await wait("raw_message_edit", lambda p: p.message_id == msg.id,
                        other_api("PATCH", f"/channels/1/messages/{msg.id}", {"content": "pong"}))
    expect(raw.data.get("content") == "pong", "edit payload")
    step = "on_reaction_add"
    (reaction, user), _ = await wait(
        "reaction_add", lambda r, u: r.message.id == sent.id and u.id != client.user.id,
        other_api("PUT", f"/channels/1/messages/{sent.id}/reactions/%F0%9F%91%8D/@me"))
    expect(reaction.count == 2, f"reaction count {reaction.count}")
    step = "on_raw_message_delete"
    await wait("raw_message_delete", lambda p: p.message_id == msg.id,
               other_api("DELETE", f"/channels/1/messages/{msg.id}"))

    step = "on_member_join"
    name = f"dpy_{int(time.time() * 1000) % 1000000000}"

    async def join():
        await other_api("POST", "/auth/register",
                        {"username": name, "email": f"{name}@x.io", "password": "StrongP@ss123"})
        def login():
            req = urllib.request.Request(
                f"{BASE}/api/v1/auth/login", method="POST",
                data=json.dumps({"username": name, "password": "StrongP@ss123"}).encode(),
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())["access_token"]
        await other_api("POST", f"/invites/{INVITE}", {}, token=await asyncio.to_thread(login))
    member, _ = await wait("member_join", lambda m: m.name == name, join())
    expect(guild.get_member(member.id) is not None, "newcomer not cached")

    step = "roles"
    role, created = await wait("guild_role_create", lambda r: r.name == "dpy role",
                               guild.create_role(name="dpy role", colour=discord.Colour(0x3498DB),
                                                 hoist=True))
    expect(role.id == created.id and role.colour.value == 0x3498DB, "role event")
    await member.add_roles(created)
    expect(created in (await guild.fetch_member(member.id)).roles, "role not given")
    await created.edit(name="dpy role 2")
    await created.delete()
    await guild.me.edit(nick="dpy bot")  # discord.py 2.2 uses the older /members/@me/nick
    expect((await guild.fetch_member(client.user.id)).nick == "dpy bot", "own nickname")

    step = "channels"
    made, new = await wait("guild_channel_create", lambda c: c.name == "dpy-chan",
                           guild.create_text_channel("dpy-chan", topic="made by discord.py"))
    expect(made.id == new.id and new.topic == "made by discord.py", "channel event")
    await new.set_permissions(guild.default_role, send_messages=False)
    refreshed = await client.fetch_channel(new.id)
    expect(refreshed.overwrites_for(guild.default_role).send_messages is False, "overwrite")
    await wait("guild_channel_delete", lambda c: c.id == new.id, new.delete())

    step = "invites"
    invite = await channel.create_invite(max_age=60, max_uses=3)
    expect((await client.fetch_invite(invite.code)).guild.id == 1, "invite guild")
    expect(invite.code in [i.code for i in await guild.invites()], "invite list")
    await invite.delete()

    step = "threads"
    thread, made = await wait("thread_create", lambda t: t.name == "dpy thread",
                              channel.create_thread(name="dpy thread",
                                                    type=discord.ChannelType.public_thread))
    expect(thread.id == made.id and made.parent_id == 1 and made.owner_id == client.user.id,
           "thread")
    await made.leave()
    await made.join()  # discord.py 2.2 joins with POST
    inside = await made.send("inside a thread")
    expect(inside.channel.id == made.id, "posted elsewhere")
    expect(client.user.id in [m.id for m in await made.fetch_members()], "not a member")
    await made.edit(archived=True)
    archived = [t async for t in channel.archived_threads()]
    expect(made.id in [t.id for t in archived], "archived list")
    started = await sent.create_thread(name="about hello")
    expect(started.id == sent.id, "thread from a message")

    step = "forum"
    forum = await guild.create_forum("dpy forum", topic="questions", available_tags=[
        discord.ForumTag(name="bug"), discord.ForumTag(name="idea", emoji="💡")])
    expect(isinstance(forum, discord.ForumChannel) and
           [t.name for t in forum.available_tags] == ["bug", "idea"], f"forum {forum!r}")
    bug = forum.get_tag(forum.available_tags[0].id)
    post = await forum.create_thread(name="a post", content="its first message",
                                     applied_tags=[bug])
    expect(post.thread.parent_id == forum.id and post.message.id == post.thread.id and
           [t.name for t in post.thread.applied_tags] == ["bug"], f"post {post!r}")
    await post.thread.send("a reply in the post")
    edited = await post.thread.edit(applied_tags=[forum.available_tags[1]])
    expect([t.name for t in edited.applied_tags] == ["idea"], "retagged")
    await forum.delete()

    step = "webhook"
    hook = await channel.create_webhook(name="dpy hook")
    via = await hook.send("from a webhook", username="dpy hook user", wait=True)
    expect(via.webhook_id == hook.id and via.author.name == "dpy hook user", "webhook message")
    await hook.delete()

    step = "channel following"
    news = await guild.create_text_channel("dpy-news", news=True)
    follower = await news.follow(destination=channel)
    expect(follower.type == discord.WebhookType.channel_follower, f"follower {follower!r}")
    announced = await news.send("dpy release notes")
    copy, _ = await wait("message", lambda m: m.channel.id == channel.id and
                         m.reference is not None and m.reference.message_id == announced.id,
                         announced.publish())
    expect(copy.flags.is_crossposted and copy.webhook_id == follower.id and
           copy.content == "dpy release notes" and copy.reference.channel_id == news.id,
           f"copy {copy!r}")
    listed = [h for h in await channel.webhooks() if h.id == follower.id]
    expect(listed and listed[0].source_channel.id == news.id and
           listed[0].source_guild.id == guild.id, "follower not listed with its source")
    await news.delete()

    step = "emojis"
    (_, _, after), emoji = await wait("guild_emojis_update",
                                        lambda g, b, a: any(e.name == "dpy_blob" for e in a),
                                        guild.create_custom_emoji(name="dpy_blob", image=PNG))
    expect(emoji.id in [e.id for e in after], "emoji missing from the update")
    expect(await emoji.read() == PNG, "emoji image")
    await sent.add_reaction(emoji)
    await emoji.delete()

    step = "stickers"
    (_, _, after), sticker = await wait(
        "guild_stickers_update", lambda g, b, a: any(st.name == "dpy_wave" for st in a),
        guild.create_sticker(name="dpy_wave", description="waves from discord.py", emoji="wave",
                             file=discord.File(io.BytesIO(PNG), filename="wave.png")))
    expect(sticker.id in [st.id for st in after], "sticker missing from the update")
    expect(sticker.format == discord.StickerFormatType.png and sticker.guild_id == guild.id,
           f"sticker {sticker!r}")
    expect(await sticker.read() == PNG, "sticker image")
    with_sticker = await channel.send(stickers=[sticker])
    expect([st.id for st in with_sticker.stickers] == [sticker.id], "message without its sticker")
    renamed = await sticker.edit(name="dpy_wave_2")
    expect(renamed.name == "dpy_wave_2", f"renamed to {renamed.name}")
    await sticker.delete()

    step = "auto moderation"
    made, rule = await wait(
        "automod_rule_create", lambda r: r.name == "dpy filter",
        guild.create_automod_rule(
            name="dpy filter", event_type=discord.AutoModRuleEventType.message_send,
            trigger=discord.AutoModTrigger(keyword_filter=["*spoiler*"]),
            actions=[discord.AutoModRuleAction(custom_message="No spoilers.")], enabled=True))
    expect(made.id == rule.id and rule.trigger.keyword_filter == ["*spoiler*"] and rule.enabled,
           f"rule as made: {rule!r}")

    def refused_send():
        try:
            urllib.request.urlopen(urllib.request.Request(
                f"{BASE}/api/v10/channels/{channel.id}/messages", method="POST",
                data=json.dumps({"content": "big SPOILERS ahead"}).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {OTHER}"}),
                timeout=10)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
        return 200, None

    execution, (status, body) = await wait("automod_action", lambda e: e.rule_id == rule.id,
                                           asyncio.to_thread(refused_send))
    expect(status == 400 and body["code"] == 200000, f"spoiler sent: {status} {body}")
    expect(execution.matched_keyword == "*spoiler*" and execution.matched_content == "SPOILERS"
           and execution.action.type == discord.AutoModRuleActionType.block_message,
           f"execution {execution.matched_keyword} {execution.matched_content}")
    expect(rule.id in [r.id for r in await guild.fetch_automod_rules()], "rule not listed")
    edited = await rule.edit(name="dpy filter 2")
    expect(edited.name == "dpy filter 2", f"renamed to {edited.name}")
    await rule.delete()

    step = "scheduled events"
    start = discord.utils.utcnow() + datetime.timedelta(hours=1)
    event, _ = await wait("scheduled_event_create", lambda e: e.name == "dpy meetup",
                          guild.create_scheduled_event(
                              name="dpy meetup", start_time=start,
                              end_time=start + datetime.timedelta(hours=2),
                              entity_type=discord.EntityType.external, location="the park",
                              privacy_level=discord.PrivacyLevel.guild_only, image=PNG))
    expect(event.location == "the park" and event.status == discord.EventStatus.scheduled and
           guild.get_scheduled_event(event.id) is not None, f"event {event!r}")
    expect(await event.cover_image.read() == PNG, "event cover")
    await other_api("PUT", f"/guilds/1/scheduled-events/{event.id}/users/@me")
    interested = [u async for u in event.users()]
    expect(len(interested) == 1 and interested[0].id != client.user.id, f"users {interested}")
    fetched = await guild.fetch_scheduled_event(event.id, with_counts=True)
    expect(fetched.user_count == 1, f"user_count {fetched.user_count}")
    (_, started), _ = await wait("scheduled_event_update",
                                 lambda b, a: a.status == discord.EventStatus.active,
                                 event.start())
    expect(started.id == event.id, "started")
    voice = next(c for c in guild.voice_channels)
    jam = await guild.create_scheduled_event(name="dpy jam", start_time=start, channel=voice,
                                             privacy_level=discord.PrivacyLevel.guild_only)
    expect(jam.entity_type == discord.EntityType.voice and jam.channel_id == voice.id,
           f"voice event {jam!r}")
    gone, _ = await wait("scheduled_event_delete", lambda e: e.id == jam.id, jam.delete())
    expect(gone.name == "dpy jam", "deleted")
    ended = await event.end()
    expect(ended.status == discord.EventStatus.completed, "ended")

    step = "stages"
    hall = await guild.create_stage_channel("dpy hall")
    expect(isinstance(hall, discord.StageChannel), f"stage channel {hall!r}")
    live, _ = await wait("stage_instance_create", lambda s: s.channel_id == hall.id,
                         hall.create_instance(topic="dpy talk"))
    expect(live.topic == "dpy talk", "stage topic")
    fetched = await hall.fetch_instance()
    expect(fetched.id == live.id, "fetched stage")
    (_, retitled), _ = await wait("stage_instance_update", lambda b, a: a.topic == "dpy talk 2",
                                  live.edit(topic="dpy talk 2"))
    expect(retitled.id == live.id, "retitled")
    gone, _ = await wait("stage_instance_delete", lambda s: s.id == live.id, live.delete())
    await hall.delete()

    step = "group DM"
    # Another user makes a group of themselves, the bot and admin; the bot reads it as discord.py's
    # GroupChannel, hears and answers in it, and leaves it.
    group = await other_api("POST", "/users/@me/channels",
                            {"recipients": [str(client.user.id), "1"]})
    fetched = await client.fetch_channel(int(group["id"]))
    expect(isinstance(fetched, discord.GroupChannel) and fetched.owner_id == 2 and
           sorted(u.id for u in fetched.recipients) == [1, 2], f"group {fetched!r}")
    heard, _ = await wait("message", lambda m: m.channel.id == fetched.id and
                          m.content == "dpy group hello",
                          other_api("POST", f"/channels/{group['id']}/messages",
                                    {"content": "dpy group hello"}))
    expect(heard.author.id == 2, "group message author")
    answer = await heard.channel.send("hello, group")
    read = await other_api("GET", f"/channels/{group['id']}/messages?limit=1")
    expect(read[0]["id"] == str(answer.id), "the bot's answer is not in the group")
    await fetched.leave()
    left = await other_api("GET", f"/channels/{group['id']}")
    expect([u["id"] for u in left["recipients"]] == ["1"], f"after leaving {left}")

    step = "audit log"
    entries = [e async for e in guild.audit_logs(limit=50)]
    expect(any(e.action == discord.AuditLogAction.role_create for e in entries), "no role_create")
    expect(any(e.action == discord.AuditLogAction.scheduled_event_create and
               e.target.id == event.id for e in entries), "no scheduled_event_create")

    step = "purge"
    for i in range(3):
        await channel.send(f"to purge {i}")
    payload, gone = await wait("raw_bulk_message_delete", lambda p: p.channel_id == 1,
                               channel.purge(limit=3))
    expect(len(gone) == 3 and set(payload.message_ids) == {m.id for m in gone}, "purge")

    step = "resume"
    # The connection drops; discord.py resumes it, and a message sent meanwhile still arrives.
    # The server replays what was missed, then RESUMED.
    resumed = asyncio.ensure_future(client.wait_for("resumed", timeout=20))
    await client.ws.socket.close(code=4000)
    missed, _ = await wait("message", lambda m: m.content == "while away",
                           other_api("POST", "/channels/1/messages", {"content": "while away"}))
    await resumed
    expect(missed.channel.id == 1, "missed message")

    step = "application commands"
    synced = await tree.sync()
    expect(sorted(c.name for c in synced) == ["echo", "slow"], f"synced {synced}")
    echo_cmd = next(c for c in synced if c.name == "echo")
    expect([p.name for p in echo_cmd.options] == ["text", "times"], "options")
    expect(echo_cmd.options[0].required and not echo_cmd.options[1].required, "required")
    tree.copy_global_to(guild=guild)
    in_guild = await tree.sync(guild=guild)
    expect([c.guild_id for c in in_guild] == [1, 1], "guild commands")
    fetched = await tree.fetch_commands()
    expect([c.id for c in fetched] == [c.id for c in synced], "a second sync made new commands")

    step = "interactions"
    # Another user runs /echo; the command tree calls echo(), whose answer arrives as the bot's.
    echo_id = next(c.id for c in synced if c.name == "echo")
    invoke = {"type": 2, "application_id": str(client.application_id), "guild_id": "1",
              "channel_id": "1", "data": {"id": str(echo_id), "name": "echo", "type": 1,
                                          "options": [{"type": 3, "name": "text", "value": "hi"},
                                                      {"type": 4, "name": "times", "value": 3}]}}
    answer, _ = await wait("message", lambda m: m.content == "hihihi",
                           other_api("POST", "/interactions", invoke))
    expect(answer.author.id == client.user.id and
           answer.type == discord.MessageType.chat_input_command, f"answer {answer!r}")
    slow_id = next(c.id for c in synced if c.name == "slow")
    invoke["data"] = {"id": str(slow_id), "name": "slow", "type": 1}
    # It defers, makes its original response by editing it, follows up, then edits the original.
    edited = asyncio.ensure_future(client.wait_for(
        "raw_message_edit", check=lambda p: p.data.get("content") == "thought about it, testuser1!",
        timeout=10))
    followup, _ = await wait("message", lambda m: m.content == "and one more thing",
                             other_api("POST", "/interactions", invoke))
    edited = await edited
    expect(edited.channel_id == 1 and followup.author.id == client.user.id, "deferred answer")

    step = "components"
    # A message with a View: another user picks in its menu, then presses its button; discord.py
    # routes each to the View's callback, which answers or updates the message.
    view = Approval()
    prompt = await channel.send("approve?", view=view)
    rows = prompt.components
    expect(len(rows) == 2 and isinstance(rows[0].children[0], discord.Button) and
           isinstance(rows[1].children[0], discord.SelectMenu), f"components {rows!r}")
    use = {"type": 3, "guild_id": "1", "channel_id": "1", "message_id": str(prompt.id)}
    picked, _ = await wait("message", lambda m: m.content == "picked l", other_api(
        "POST", "/interactions", dict(use, data={"custom_id": rows[1].children[0].custom_id,
                                                 "component_type": 3, "values": ["l"]})))
    expect(picked.author.id == client.user.id, "the select's answer")
    updated, _ = await wait("raw_message_edit", lambda p: p.message_id == prompt.id, other_api(
        "POST", "/interactions", dict(use, data={"custom_id": rows[0].children[0].custom_id,
                                                 "component_type": 2})))
    expect(updated.data["content"].startswith("approved by ") and
           updated.data["components"] == [], f"the update {updated.data!r}")

    step = "delete"
    await sent.delete()


@client.event
async def on_ready():
    try:
        await run()
        print("OK")
    except Exception as e:  # noqa: BLE001 - any failure names its step
        import traceback
        traceback.print_exc()
        print(f"FAIL {step}: {type(e).__name__}: {e}")
        client.failed = True
    await client.close()


async def main():
    client.failed = False
    try:
        await asyncio.wait_for(client.start(TOKEN), timeout=60)
    except asyncio.TimeoutError:
        print(f"FAIL {step}: no OK within 60 s")
        client.failed = True
    sys.exit(1 if client.failed else 0)


asyncio.run(main())
