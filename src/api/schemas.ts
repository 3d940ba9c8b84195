import { Type } from 'typebox';

/** Request and response shapes of ../shared/seed/sms-api.txt. Unknown fields are ignored. */
export const SendSmsBody = Type.Object({
  client_id: Type.String(),
  passcode: Type.String(),
  phone_number: Type.String(),
  templet_id: Type.String(),
  // The document calls it a String; its sample sends an array of objects. Both are accepted,
  // and the detailed check happens when the template is rendered.
  contents: Type.Union([Type.String(), Type.Array(Type.Object({})), Type.Object({})]),
});

export const QuerySmsBody = Type.Object({
  client_id: Type.String(),
  passcode: Type.String(),
  sms_uid: Type.String(),
});

export const SmsStatusReply = Type.Object({
  sms_uid: Type.String(),
  status: Type.String(),
  error_code: Type.String(),
});

export const ErrorReply = Type.Object({
  error_code: Type.String(),
  error_message: Type.String(),
});
