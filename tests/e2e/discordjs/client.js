// An unmodified discord.js v14 client against chat-server: log in (bot token or a user's access
// token), reach `ready` with the guilds cached, fetch a role, send, edit, react, fetch history, upload a file
// (multipart payload_json + files[0]) and download it, receive messageCreate from another user
// and guildMemberAdd for a newcomer, delete. Prints OK and exits 0 when every step happened;
// exits 1 with the failing step otherwise (30 s at most).
// With WEBHOOK (id/token of a webhook of channel 1), discord.js's WebhookClient also sends as it,
// and edits and deletes what it sent; the client sees the message arrive as the webhook's.
// Threads: the client starts one in channel 1 and one from its message, posts in it, lists its
// members, finds it among the guild's active threads, archives it and finds it archived (the
// caller gives @everyone the thread permissions first). Emojis: it makes one from a PNG, sees
// emojiCreate, downloads its image, renames and deletes it (CREATE_GUILD_EXPRESSIONS, likewise);
// a sticker likewise, from an upload, seen as stickerCreate and stickerDelete, and sent in a message.
// Auto moderation: it makes a keyword rule (seen as autoModerationRuleCreate), the other user's
// message with the keyword is refused (200000) and seen as autoModerationActionExecution, and it
// fetches, edits and deletes the rule (the caller gives it MANAGE_GUILD).
// Scheduled events: it makes an external one with a cover image, sees guildScheduledEventCreate,
// downloads the cover, lists the other user's interest and its count, starts and deletes it
// (CREATE_EVENTS, likewise).
// Interactions: it registers a slash command, another user runs it, and discord.js answers it,
// reads, edits and follows up the answer (the caller lets @everyone use commands); another command
// runs in the other user's DM with the bot; buttons it sends are pressed by the other user, and it
// answers by updating the message or with a modal, whose submission it answers.
// Forwards: it forwards a message and reads the snapshot back.
// Polls: it sends one, the other user votes, and discord.js sees messagePollVoteAdd, fetches the
// answer's voters and ends the poll, which comes back counted (SEND_POLLS, likewise).
// Forums: with FORUM (a forum channel of guild 1 with tags), it posts there with a tag and its
// first message, answers in the post and retags it.
// Channel following: with NEWS (an announcement channel of guild 1), channel 1 follows it
// (MANAGE_WEBHOOKS), and a message the client publishes there arrives in channel 1 as a copy.
//   node client.js PORT TOKEN OTHER_USER_TOKEN INVITE_CODE [WEBHOOK] [FORUM] [NEWS]
const {
  ActionRowBuilder, AutoModerationActionType, AutoModerationRuleEventType,
  AutoModerationRuleTriggerType, ButtonBuilder, ButtonStyle, ChannelType, Client,
  GatewayIntentBits, Events,
  GuildScheduledEventEntityType, GuildScheduledEventPrivacyLevel, GuildScheduledEventStatus,
  MessageFlags, ModalBuilder, TextInputBuilder, TextInputStyle, WebhookClient,
} = require('discord.js');

const [port, token, otherToken, inviteCode, webhook, forumId, newsId] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const fail = (step, e) => {
  console.error(`FAIL ${step}:`, e && (e.stack || e));
  process.exit(1);
};
setTimeout(() => fail('timeout', 'no OK within 30 s'), 30000).unref();

async function api(method, path, body, auth) {
  const r = await fetch(`${base}/api/v10${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages,
            GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMembers,
            GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.GuildExpressions,
            GatewayIntentBits.GuildScheduledEvents, GatewayIntentBits.GuildMessagePolls,
            GatewayIntentBits.AutoModerationConfiguration,
            GatewayIntentBits.AutoModerationExecution],
  rest: { api: `${base}/api`, cdn: base },
});
client.on('error', (e) => fail('client error', e));

client.once(Events.ClientReady, async (c) => {
  let step = 'ready';
  try {
    if (!c.guilds.cache.has('1')) throw new Error('guild 1 not cached at ready');
    step = 'fetch role';
    // discord.js asks GET /guilds/{g}/roles/{r} for one role, and takes 10011 as "no such role".
    const everyone = await c.guilds.cache.get('1').roles.fetch('1', { force: true });
    if (!everyone || everyone.name !== '@everyone') throw new Error(`role ${everyone?.name}`);
    if (await c.guilds.cache.get('1').roles.fetch('424242', { force: true }) !== null) {
      throw new Error('an unknown role was found');
    }
    step = 'fetch channel';
    const channel = await c.channels.fetch('1');
    step = 'send';
    const sent = await channel.send('hello from discord.js');
    step = 'edit';
    const edited = await sent.edit('edited by discord.js');
    if (edited.content !== 'edited by discord.js') throw new Error('edit not applied');
    step = 'react';
    await sent.react('👍');
    step = 'history';
    const history = await channel.messages.fetch({ limit: 10 });
    if (!history.has(sent.id)) throw new Error('own message missing from history');

    step = 'threads';
    const threadSeen = new Promise((resolve) => client.on(Events.ThreadCreate, (t) => {
      if (t.name === 'djs thread') resolve(t);
    }));
    const thread = await channel.threads.create({
      name: 'djs thread', autoArchiveDuration: 60, type: ChannelType.PublicThread,
    });
    if (!thread.isThread() || thread.parentId !== '1' || thread.ownerId !== c.user.id) {
      throw new Error(`thread ${thread.id} of ${thread.parentId} by ${thread.ownerId}`);
    }
    if ((await threadSeen).id !== thread.id) throw new Error('threadCreate for another thread');
    const inThread = await thread.send('inside a thread');
    if (inThread.channelId !== thread.id) throw new Error(`posted in ${inThread.channelId}`);
    const threadMembers = await thread.members.fetch();
    if (!threadMembers.has(c.user.id)) throw new Error('the creator is not a thread member');
    const active = await channel.guild.channels.fetchActiveThreads();
    if (!active.threads.has(thread.id)) throw new Error('thread missing from the active list');
    await thread.setArchived(true);
    const archived = await channel.threads.fetchArchived({ type: 'public' });
    if (!archived.threads.has(thread.id) || !archived.threads.get(thread.id).archived) {
      throw new Error('thread missing from the archived list');
    }
    const started = await sent.startThread({ name: 'about hello' });
    if (started.id !== sent.id || started.parentId !== '1') {
      throw new Error(`started ${started.id} from ${sent.id}`);
    }

    if (forumId) {
      step = 'forum';
      const forum = await c.channels.fetch(forumId);
      if (forum.type !== ChannelType.GuildForum || forum.availableTags.length !== 2) {
        throw new Error(`forum ${forum.type} with ${forum.availableTags.length} tags`);
      }
      const [bug, idea] = forum.availableTags;
      const post = await forum.threads.create({
        name: 'djs post', message: { content: 'first words' }, appliedTags: [bug.id],
      });
      const starter = await post.fetchStarterMessage();
      if (post.parentId !== forumId || starter.id !== post.id ||
          starter.content !== 'first words' || post.appliedTags.join() !== bug.id) {
        throw new Error(`post ${post.id} in ${post.parentId} tagged ${post.appliedTags}`);
      }
      await post.send('a reply');
      const retagged = await post.setAppliedTags([idea.id]);
      if (retagged.appliedTags.join() !== idea.id) throw new Error('retag not applied');
    }

    step = 'emojis';
    // A 1x1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC', 'base64');
    const emojiSeen = new Promise((resolve) => client.on(Events.GuildEmojiCreate, (e) => {
      if (e.name === 'djs_blob') resolve(e);
    }));
    const emoji = await channel.guild.emojis.create({ attachment: png, name: 'djs_blob' });
    if ((await emojiSeen).id !== emoji.id) throw new Error('emojiCreate for another emoji');
    const image = await fetch(emoji.imageURL());
    if (!image.ok || !Buffer.from(await image.arrayBuffer()).equals(png)) {
      throw new Error(`image at ${emoji.imageURL()} → ${image.status}`);
    }
    const fetched = await channel.guild.emojis.fetch(emoji.id, { force: true });
    if (fetched.name !== 'djs_blob') throw new Error(`fetched ${fetched.name}`);
    const renamed = await emoji.edit({ name: 'djs_blob_2' });
    if (renamed.name !== 'djs_blob_2') throw new Error(`renamed to ${renamed.name}`);
    await emoji.delete();

    step = 'stickers';
    const stickerSeen = new Promise((resolve) => client.on(Events.GuildStickerCreate, (st) => {
      if (st.name === 'djs_wave') resolve(st);
    }));
    const sticker = await channel.guild.stickers.create({
      file: png, name: 'djs_wave', tags: 'wave', description: 'waves from discord.js' });
    if ((await stickerSeen).id !== sticker.id) throw new Error('stickerCreate for another sticker');
    if (sticker.format !== 1 || sticker.guildId !== channel.guild.id) {
      throw new Error(`sticker ${sticker.format} in ${sticker.guildId}`);
    }
    const stickerImage = await fetch(sticker.url);
    if (!stickerImage.ok || !Buffer.from(await stickerImage.arrayBuffer()).equals(png)) {
      throw new Error(`sticker image at ${sticker.url} → ${stickerImage.status}`);
    }
    const stickerFetched = await client.fetchSticker(sticker.id);
    if (stickerFetched.name !== 'djs_wave') throw new Error(`fetched ${stickerFetched.name}`);
    const stickerEdited = await sticker.edit({ name: 'djs_wave_2', tags: 'hello' });
    if (stickerEdited.name !== 'djs_wave_2' || stickerEdited.tags !== 'hello') {
      throw new Error(`edited to ${stickerEdited.name} / ${stickerEdited.tags}`);
    }
    const withSticker = await channel.send({ stickers: [sticker] });
    if (withSticker.stickers.first()?.id !== sticker.id) throw new Error('message without its sticker');
    const stickerGone = new Promise((resolve) => client.on(Events.GuildStickerDelete, (st) => {
      if (st.id === sticker.id) resolve(st);
    }));
    await sticker.delete();
    await stickerGone;

    step = 'auto moderation';
    const ruleSeen = new Promise((resolve) => client.on(Events.AutoModerationRuleCreate, (r) => {
      if (r.name === 'djs filter') resolve(r);
    }));
    const rule = await channel.guild.autoModerationRules.create({
      name: 'djs filter', eventType: AutoModerationRuleEventType.MessageSend,
      triggerType: AutoModerationRuleTriggerType.Keyword,
      triggerMetadata: { keywordFilter: ['forbidden*'], allowList: ['forbiddenfruit'] },
      actions: [{ type: AutoModerationActionType.BlockMessage,
                  metadata: { customMessage: 'Not in here.' } }],
      enabled: true });
    if ((await ruleSeen).id !== rule.id) throw new Error('autoModerationRuleCreate for another rule');
    if (rule.triggerMetadata.keywordFilter[0] !== 'forbidden*' || !rule.enabled ||
        rule.actions[0].metadata.customMessage !== 'Not in here.') {
      throw new Error(`rule as made: ${JSON.stringify(rule.triggerMetadata)}`);
    }
    const executed = new Promise((resolve) => client.on(Events.AutoModerationActionExecution,
                                                        (e) => resolve(e)));
    const refused = await fetch(`${base}/api/v10/channels/${channel.id}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${otherToken}` },
      body: JSON.stringify({ content: 'this is Forbidden knowledge' }) });
    const refusal = await refused.json();
    if (refused.status !== 400 || refusal.code !== 200000) {
      throw new Error(`keyword message → ${refused.status} ${JSON.stringify(refusal)}`);
    }
    const execution = await executed;
    if (execution.ruleId !== rule.id || execution.matchedKeyword !== 'forbidden*' ||
        execution.matchedContent !== 'Forbidden' || execution.action.type !== 1 ||
        execution.channelId !== channel.id) {
      throw new Error(`execution ${execution.ruleId} ${execution.matchedKeyword} ` +
                      `${execution.matchedContent} ${execution.action.type}`);
    }
    const rules = await channel.guild.autoModerationRules.fetch({ force: true });
    if (!rules.has(rule.id)) throw new Error('rule not listed');
    const ruleEdited = await rule.edit({ name: 'djs filter 2', enabled: false });
    if (ruleEdited.name !== 'djs filter 2' || ruleEdited.enabled) throw new Error('rule not edited');
    await rule.delete();

    step = 'scheduled events';
    const guild = channel.guild;
    const eventSeen = new Promise((resolve) => client.on(Events.GuildScheduledEventCreate, (e) => {
      if (e.name === 'djs meetup') resolve(e);
    }));
    const start = new Date(Date.now() + 3600000);
    const event = await guild.scheduledEvents.create({
      name: 'djs meetup', description: 'from discord.js', scheduledStartTime: start,
      scheduledEndTime: new Date(start.getTime() + 7200000),
      privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
      entityType: GuildScheduledEventEntityType.External, entityMetadata: { location: 'the park' },
      image: png,
    });
    if ((await eventSeen).id !== event.id) throw new Error('guildScheduledEventCreate for another');
    if (event.entityMetadata.location !== 'the park') throw new Error('location lost');
    // Its cover, where discord.js's coverImageURL points.
    const cover = await fetch(event.coverImageURL({ size: 512 }));
    if (!cover.ok || !Buffer.from(await cover.arrayBuffer()).equals(png)) {
      throw new Error(`cover ${event.coverImageURL()} → ${cover.status}`);
    }
    await api('PUT', `/guilds/1/scheduled-events/${event.id}/users/@me`, undefined,
              `Bearer ${otherToken}`);
    const subscribers = await event.fetchSubscribers();
    if (subscribers.size !== 1) throw new Error(`${subscribers.size} subscribers`);
    const counted = await guild.scheduledEvents.fetch({ guildScheduledEvent: event.id,
                                                        withUserCount: true, force: true });
    if (counted.userCount !== 1) throw new Error(`userCount ${counted.userCount}`);
    const live = await event.setStatus(GuildScheduledEventStatus.Active);
    if (!live.isActive()) throw new Error(`status ${live.status}`);
    if (!(await guild.scheduledEvents.fetch()).has(event.id)) throw new Error('not listed');
    await event.delete();

    step = 'upload';
    const uploaded = new Promise((resolve) => client.on(Events.MessageCreate, (m) => {
      if (m.content === 'a file from discord.js') resolve(m);
    }));
    const withFile = await channel.send({
      content: 'a file from discord.js',
      files: [{ attachment: Buffer.from('hello file'), name: 'hello.txt', description: 'hi' }],
    });
    const attachment = withFile.attachments.first();
    if (!attachment || attachment.name !== 'hello.txt' || attachment.size !== 10 ||
        attachment.description !== 'hi') {
      throw new Error(`attachment ${JSON.stringify(attachment)}`);
    }
    const download = await fetch(attachment.url);
    if (!download.ok || (await download.text()) !== 'hello file') {
      throw new Error(`download of ${attachment.url} → ${download.status}`);
    }
    const announced = await uploaded;  // the gateway's MESSAGE_CREATE carries it too
    if (announced.attachments.first()?.url !== attachment.url) {
      throw new Error('MESSAGE_CREATE without the attachment');
    }
    await withFile.delete();

    step = 'messageCreate';
    const received = new Promise((resolve) => client.on(Events.MessageCreate, (m) => {
      if (m.content === 'ping from another user') resolve(m);
    }));
    await api('POST', '/channels/1/messages', { content: 'ping from another user' },
              `Bearer ${otherToken}`);
    const m = await received;
    if (m.author.id === c.user.id) throw new Error('author confused');

    step = 'guildMemberAdd';
    const joined = new Promise((resolve) => client.on(Events.GuildMemberAdd, resolve));
    const name = `joiner_${Date.now() % 1000000000}`;
    await api('POST', '/auth/register', { username: name, email: `${name}@x.io`,
                                          password: 'StrongP@ss123' });
    const login = await api('POST', '/auth/login', { username: name, password: 'StrongP@ss123' });
    await api('POST', `/invites/${inviteCode}`, {}, `Bearer ${login.access_token}`);
    const member = await joined;
    if (member.user.username !== name) throw new Error(`joined ${member.user.username}`);

    if (webhook) {
      step = 'webhook';
      const [id, hookToken] = webhook.split('/');
      const hook = new WebhookClient({ id, token: hookToken }, { rest: { api: `${base}/api` } });
      const arrived = new Promise((resolve) => client.on(Events.MessageCreate, (msg) => {
        if (msg.content === 'from a webhook') resolve(msg);
      }));
      const posted = await hook.send({ content: 'from a webhook', username: 'djs hook user' });
      if (posted.webhook_id !== id && posted.webhookId !== id) {
        throw new Error(`sent ${JSON.stringify(posted)}`);
      }
      const seen = await arrived;
      if (seen.webhookId !== id || seen.author.username !== 'djs hook user' || !seen.author.bot) {
        throw new Error(`arrived as ${seen.author.username} (${seen.webhookId})`);
      }
      const edited = await hook.editMessage(seen.id, { content: 'edited by a webhook' });
      if (edited.content !== 'edited by a webhook') throw new Error('webhook edit not applied');
      await hook.deleteMessage(seen.id);
      hook.destroy();
    }

    if (c.user.bot) {  // a user's token has no application to answer with
      step = 'interactions';
      // The application registers a slash command; another user runs it; discord.js builds the
      // interaction and answers it, and the answer arrives as the bot's.
      const command = await c.application.commands.create({
        name: 'ping', description: 'answers pong',
        options: [{ type: 3, name: 'word', description: 'what to add', required: true }],
      });
      // Nobody restricted it in guild 1: the bot reads no command permissions there.
      const restricted = await c.guilds.cache.get('1').commands.permissions.fetch({});
      if (restricted.size !== 0) throw new Error(`${restricted.size} command permissions`);
      const asked = new Promise((resolve) => client.on(Events.InteractionCreate, async (i) => {
        if (!i.isChatInputCommand() || i.commandName !== 'ping') return;
        await i.reply(`pong ${i.options.getString('word')} for ${i.user.username}`);
        resolve(i);
      }));
      const answered = new Promise((resolve) => client.on(Events.MessageCreate, (msg) => {
        if (msg.content.startsWith('pong please')) resolve(msg);
      }));
      await api('POST', '/interactions', {
        type: 2, application_id: c.application.id, guild_id: '1', channel_id: '1',
        data: { id: command.id, name: 'ping', type: 1,
                options: [{ type: 3, name: 'word', value: 'please' }] },
      }, `Bearer ${otherToken}`);
      const interaction = await asked;
      const answer = await answered;
      if (interaction.channelId !== '1' || interaction.guildId !== '1' ||
          answer.author.id !== c.user.id || !answer.content.endsWith(interaction.user.username)) {
        throw new Error(`answered ${answer.content} by ${answer.author.id}`);
      }
      const reply = await interaction.fetchReply();
      if (reply.id !== answer.id) throw new Error(`fetchReply gave ${reply.id}`);
      await interaction.editReply('pong, edited');
      await interaction.followUp('and a followup');
      await command.delete();

      step = 'dm command';
      // A global command offered in the bot's DMs (contexts 0 and 1) runs there too.
      const dmCommand = await c.application.commands.create({
        name: 'whisper', description: 'answers in DMs', contexts: [0, 1], integrationTypes: [0],
      });
      if (!dmCommand.contexts?.includes(1)) throw new Error(`contexts ${dmCommand.contexts}`);
      const dm = await api('POST', '/users/@me/channels', { recipient_id: c.user.id },
                           `Bearer ${otherToken}`);
      const whispered = new Promise((resolve) => client.on(Events.InteractionCreate, async (i) => {
        if (!i.isChatInputCommand() || i.commandName !== 'whisper') return;
        await i.reply('psst');
        resolve(i);
      }));
      await api('POST', '/interactions', {
        type: 2, application_id: c.application.id, channel_id: dm.id,
        data: { id: dmCommand.id, name: 'whisper', type: 1 },
      }, `Bearer ${otherToken}`);
      const whisper = await whispered;
      if (whisper.guildId !== null || whisper.channelId !== dm.id || whisper.context !== 1 ||
          whisper.member !== null) {
        throw new Error(`whisper in ${whisper.guildId}/${whisper.channelId} (${whisper.context})`);
      }
      const said = await api('GET', `/channels/${dm.id}/messages?limit=1`, undefined,
                             `Bearer ${otherToken}`);
      if (said[0]?.content !== 'psst') throw new Error(`the DM shows ${said[0]?.content}`);
      await dmCommand.delete();

      step = 'components';
      // Buttons built with discord.js's builders: another user presses one, which discord.js
      // answers by updating the message; the other opens a modal, whose submission it answers.
      const prompt = await channel.send({
        content: 'confirm?',
        components: [new ActionRowBuilder().addComponents(
          new ButtonBuilder().setCustomId('confirm').setLabel('Confirm')
            .setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setCustomId('feedback').setLabel('Feedback')
            .setStyle(ButtonStyle.Secondary))],
      });
      if (prompt.components[0]?.components[1]?.customId !== 'feedback') {
        throw new Error(`components ${JSON.stringify(prompt.components)}`);
      }
      const used = (check) => new Promise((resolve) => client.on(Events.InteractionCreate,
        (i) => { if (check(i)) resolve(i); }));
      const press = (customId) => api('POST', '/interactions', {
        type: 3, guild_id: '1', channel_id: '1', message_id: prompt.id,
        data: { custom_id: customId, component_type: 2 },
      }, `Bearer ${otherToken}`);
      const opened = used((i) => i.isButton() && i.customId === 'feedback');
      await press('feedback');
      const button = await opened;
      await button.showModal(new ModalBuilder().setCustomId('fb').setTitle('Feedback')
        .addComponents(new ActionRowBuilder().addComponents(
          new TextInputBuilder().setCustomId('text').setLabel('Text')
            .setStyle(TextInputStyle.Short))));
      // The modal's id is the interaction that opened it.
      const submitted = used((i) => i.isModalSubmit() && i.customId === 'fb');
      await api('POST', '/interactions', {
        type: 5, application_id: c.application.id, guild_id: '1', channel_id: '1',
        data: { id: button.id, custom_id: 'fb', components: [
          { type: 1, components: [{ type: 4, custom_id: 'text', value: 'nice' }] }] },
      }, `Bearer ${otherToken}`);
      const modal = await submitted;
      const thanked = new Promise((resolve) => client.on(Events.MessageCreate, (msg) => {
        if (msg.content === 'feedback: nice') resolve(msg);
      }));
      await modal.reply(`feedback: ${modal.fields.getTextInputValue('text')}`);
      await thanked;
      const confirmed = used((i) => i.isButton() && i.customId === 'confirm');
      await press('confirm');
      const updated = await (await confirmed).update({ content: 'confirmed', components: [],
                                                       fetchReply: true });
      if (updated.id !== prompt.id || updated.content !== 'confirmed' ||
          updated.components.length !== 0) {
        throw new Error(`updated ${updated.id} ${updated.content}`);
      }
    }

    step = 'polls';
    const voted = new Promise((resolve) => client.on(Events.MessagePollVoteAdd,
      (answer, userId) => resolve([answer, userId])));
    const asked = await channel.send({ poll: {
      question: { text: 'Lunch?' }, duration: 1, allowMultiselect: false,
      answers: [{ text: 'Pizza', emoji: '🍕' }, { text: 'Sushi' }] } });
    if (asked.poll?.question.text !== 'Lunch?' || asked.poll.answers.size !== 2 ||
        asked.poll.answers.get(1).emoji?.name !== '🍕' || asked.poll.resultsFinalized) {
      throw new Error(`poll ${JSON.stringify(asked.poll)}`);
    }
    await api('PUT', `/channels/1/polls/${asked.id}/answers/@me`, { answer_ids: ['2'] },
              `Bearer ${otherToken}`);
    const [answer, voter] = await voted;
    if (answer.id !== 2 || answer.text !== 'Sushi' || answer.voteCount !== 1) {
      throw new Error(`vote for ${answer.id} ${answer.text} (${answer.voteCount})`);
    }
    const voters = await answer.voters.fetch();
    if (voters.size !== 1 || !voters.has(voter)) throw new Error(`voters ${[...voters.keys()]}`);
    const ended = await asked.poll.end();
    if (!ended.poll.resultsFinalized || ended.poll.answers.get(2).voteCount !== 1 ||
        ended.poll.answers.get(1).voteCount !== 0) {
      throw new Error(`ended ${JSON.stringify(ended.poll)}`);
    }

    step = 'forward';
    // message.forward: a message of its own that shows the original as a snapshot.
    const original = await channel.send('forward me');
    const forwarded = await original.forward(channel);
    if (forwarded.reference?.type !== 1 || forwarded.reference.messageId !== original.id ||
        forwarded.messageSnapshots.first()?.content !== 'forward me' || forwarded.content !== '') {
      throw new Error(`forwarded ${JSON.stringify(forwarded.reference)}`);
    }

    if (newsId) {
      step = 'follow';
      // NewsChannel.addFollower, then Message.crosspost: the copy comes from the follower.
      const news = await c.channels.fetch(newsId);
      await news.addFollower(channel);
      const announced = await news.send('release notes');
      const copied = new Promise((resolve) => {
        const on = (m) => {
          if (m.channelId !== channel.id || m.reference?.messageId !== announced.id) return;
          client.off(Events.MessageCreate, on);
          resolve(m);
        };
        client.on(Events.MessageCreate, on);
      });
      const published = await announced.crosspost();
      const copy = await copied;
      if (!published.flags.has(MessageFlags.Crossposted) ||
          !copy.flags.has(MessageFlags.IsCrosspost) || copy.content !== 'release notes' ||
          !copy.webhookId || copy.reference.channelId !== news.id ||
          copy.reference.guildId !== news.guildId) {
        throw new Error(`copy ${JSON.stringify(copy.reference)} ${copy.flags.bitfield}`);
      }
    }

    step = 'delete';
    await sent.delete();
    console.log('OK');
    client.destroy();
    process.exit(0);
  } catch (e) {
    fail(step, e);
  }
});
client.login(token).catch((e) => fail('login', e));
