import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { addressKind, checkOutboundUrl, checkOutboundUrlResolved } from '../../src/http/outbound-url.ts';

describe('outbound URL checks (SSRF)', () => {
  it('refuses metadata, link-local, private and loopback hosts for webhooks, whatever the spelling', () => {
    for (const u of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://100.100.100.200/',
      'http://[fd00:ec2::254]/',
      'http://10.0.0.5/hook',
      'http://192.168.1.1/',
      'http://172.20.0.1/',
      'http://127.0.0.1:8080/',
      'http://localhost/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://0.0.0.0/',
      'http://[::1]/',
    ])
      expect(checkOutboundUrl(u), u).not.toBeNull();
    for (const u of ['file:///etc/passwd', 'gopher://x/', 'ftp://example.com/', 'not a url']) expect(checkOutboundUrl(u), u).not.toBeNull();
    expect(checkOutboundUrl('https://hooks.example.com/afin')).toBeNull();
    expect(checkOutboundUrl('http://203.0.113.9/')).toBeNull();
  });

  it('lets the LLM live on this machine or the local network, never on a metadata address', () => {
    const llm = { allowPrivate: true };
    expect(checkOutboundUrl('http://127.0.0.1:11434/v1', llm)).toBeNull();
    expect(checkOutboundUrl('http://10.1.2.3:8000/v1', llm)).toBeNull();
    expect(checkOutboundUrl('http://169.254.169.254/', llm)).not.toBeNull();
    expect(loadConfig({ AFIN_LLM_URL: 'http://localhost:11434/v1' }).llm?.url).toBe('http://localhost:11434/v1');
    expect(() => loadConfig({ AFIN_LLM_URL: 'http://169.254.169.254/' })).toThrow(/AFIN_LLM_URL/);
    expect(loadConfig({ AFIN_LLM_URL: 'http://169.254.169.254/', AFIN_ALLOW_PRIVATE_URLS: 'true' }).allowPrivateUrls).toBe(true);
  });

  it('classifies addresses', () => {
    expect(addressKind('8.8.8.8')).toBe('public');
    expect(addressKind('100.64.0.1')).toBe('private');
    expect(addressKind('fc00::1')).toBe('private');
    expect(addressKind('2001:db8::1')).toBe('public');
  });

  it('checks what a name resolves to', async () => {
    expect(await checkOutboundUrlResolved('http://localhost./x')).not.toBeNull();
    expect(await checkOutboundUrlResolved('http://does-not-exist.invalid/')).toMatch(/does not resolve/);
  });
});
