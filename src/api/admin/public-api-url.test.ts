import { describe, expect, it } from 'vitest';
import { publicApiUrl } from './console-routes.js';

describe('publicApiUrl (the console\'s ready curl command)', () => {
  it('names the configured host when the public API listens on one', () => {
    expect(publicApiUrl({ host: '10.1.2.3', port: 8080 }, 'admin.example')).toBe('http://10.1.2.3:8080');
  });

  it('takes the host name the browser used when the public API listens on every address', () => {
    expect(publicApiUrl({ host: '0.0.0.0', port: 8080 }, 'sms.example.com')).toBe('http://sms.example.com:8080');
    expect(publicApiUrl({ host: '::', port: 9000 }, 'sms.example.com')).toBe('http://sms.example.com:9000');
  });

  it('brackets an IPv6 address', () => {
    expect(publicApiUrl({ host: '::1', port: 8080 }, 'x')).toBe('http://[::1]:8080');
    expect(publicApiUrl({ host: '0.0.0.0', port: 8080 }, '[::1]')).toBe('http://[::1]:8080');
  });
});
