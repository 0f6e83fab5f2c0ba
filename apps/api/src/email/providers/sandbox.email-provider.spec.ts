import { renderOrderConfirmation } from '../templates/order-confirmation';
import type { TemplateEmail } from './email-provider';
import { SandboxEmailProvider } from './sandbox.email-provider';

function anOrderEmail(overrides: Partial<TemplateEmail> = {}): TemplateEmail {
  return {
    to: { email: 'ann@example.com', name: 'Ann Lee' },
    templateId: 7,
    params: {
      name: 'Ann',
      order_id: 'A-1001',
      order_text: '1 × Blue widget',
      url: 'https://desk.example/chat/1',
    },
    idempotencyKey: 'order-1001-confirmation',
    ...overrides,
  };
}

describe(SandboxEmailProvider.name, () => {
  let sut: SandboxEmailProvider;
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    sut = new SandboxEmailProvider('ACME');
    fetchSpy = jest.spyOn(globalThis, 'fetch');
  });

  afterEach(() => {
    fetchSpy.mockRestore();
  });

  it('is the sandbox provider', () => {
    expect(sut.name).toBe('sandbox');
  });

  it('returns a sandbox message id and the rendered order confirmation', async () => {
    const email = anOrderEmail();
    await expect(sut.sendTemplate(email)).resolves.toEqual({
      providerMessageId: expect.stringMatching(
        /^sandbox-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      copy: renderOrderConfirmation(
        {
          name: 'Ann',
          order_id: 'A-1001',
          order_text: '1 × Blue widget',
          url: 'https://desk.example/chat/1',
        },
        'ACME',
      ),
    });
  });

  it('renders the built-in template whatever the template id', async () => {
    const a = await sut.sendTemplate(anOrderEmail({ templateId: 1, idempotencyKey: 'a' }));
    const b = await sut.sendTemplate(anOrderEmail({ templateId: 999, idempotencyKey: 'b' }));
    expect(a.copy).toEqual(b.copy);
    expect(a.copy?.subject).toBe('Your ACME order A-1001');
  });

  it('answers a repeated idempotency key with the first result', async () => {
    const first = await sut.sendTemplate(anOrderEmail());
    await expect(sut.sendTemplate(anOrderEmail())).resolves.toEqual(first);
  });

  it('gives different keys different ids', async () => {
    const first = await sut.sendTemplate(anOrderEmail());
    const second = await sut.sendTemplate(anOrderEmail({ idempotencyKey: 'order-1002-confirmation' }));
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
  });

  it("greets the recipient by the address's name when the params have none", async () => {
    const { copy } = await sut.sendTemplate(anOrderEmail({ params: { order_id: 'A-1' } }));
    expect(copy?.text).toMatch(/^Hello Ann Lee,/);
  });

  it('sends nothing over the network', async () => {
    await sut.sendTemplate(anOrderEmail());
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
