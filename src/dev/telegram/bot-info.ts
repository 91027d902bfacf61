// The local Telegram's bot: a token that is never sent anywhere, and the identity getMe would return.
import type { UserFromGetMe } from 'grammy/types';

/** A made-up token: every call is answered locally, so it is never sent anywhere. */
export const FAKE_BOT_TOKEN = '123456789:DEMO-TOKEN-NEVER-SENT-ANYWHERE-xyz';

export const FAKE_BOT_INFO: UserFromGetMe = {
  id: 424242,
  is_bot: true,
  first_name: 'Agora',
  username: 'agora_demo_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};
