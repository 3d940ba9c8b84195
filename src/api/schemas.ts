import { Type } from 'typebox';

/**
 * Request and response shapes of ../shared/seed/sms-api.txt, with its own samples as examples
 * (they are also the OpenAPI document's). Unknown fields are ignored.
 */
const SAMPLE_UID = '550e8400-e29b-41d4-a716-446655440000';
const SAMPLE_CREDENTIALS = { client_id: 'cookpad_Server_001', passcode: 'ARDOR-7JF3-8F2E-QUWZ-CAN7F' };

export const SEND_SAMPLE = { ...SAMPLE_CREDENTIALS, phone_number: '13800138000', templet_id: 't1', contents: [{ p1: '8888' }] };
export const SEND_ANSWER_SAMPLE = { sms_uid: SAMPLE_UID, status: 'sent', error_code: '0' };
export const QUERY_SAMPLE = { ...SAMPLE_CREDENTIALS, sms_uid: SAMPLE_UID };
export const QUERY_ANSWER_SAMPLE = { sms_uid: SAMPLE_UID, status: 'delivered', error_code: '0' };

export const SendSmsBody = Type.Object(
  {
    client_id: Type.String({ description: 'The Client ID customized by yourself.' }),
    passcode: Type.String({ description: 'A generated Key for the server to identify legal clients.' }),
    phone_number: Type.String({ description: "The target user's phone number." }),
    templet_id: Type.String({ description: 'The template the text is made from, with the contents filling its placeholders.' }),
    // The document calls it a String; its sample sends an array of objects. Both are accepted,
    // and the detailed check happens when the template is rendered.
    contents: Type.Union([Type.String(), Type.Array(Type.Object({})), Type.Object({})], {
      description: 'The values of the placeholders: an array of objects, an object, or a string holding either as JSON.',
    }),
  },
  { examples: [SEND_SAMPLE] },
);

export const QuerySmsBody = Type.Object(
  {
    client_id: Type.String(),
    passcode: Type.String(),
    sms_uid: Type.String({ description: 'The unique ID for the sms which you want to check.' }),
  },
  { examples: [QUERY_SAMPLE] },
);

export const SmsStatusReply = Type.Object(
  {
    sms_uid: Type.String({ description: "The sms's uid returned by the server for further querying." }),
    status: Type.String({
      description: 'queuing, sent, delivered, or error_rejected / error_undeliverable / error_expired / error_unknown (final)',
    }),
    error_code: Type.String({ description: '"0", or the carrier\'s error code for a message in error.' }),
  },
  { examples: [SEND_ANSWER_SAMPLE, QUERY_ANSWER_SAMPLE] },
);

export const ErrorReply = Type.Object(
  {
    error_code: Type.String({ description: 'the HTTP status, as a string' }),
    error_message: Type.String({ description: 'what was wrong, for a person' }),
  },
  { examples: [{ error_code: '401', error_message: 'client_id or passcode is wrong' }] },
);
