/** A SaaS product's onboarding: six steps, two prerequisites, four roles, activation by subscribing. */
export const SAAS_STEPS = {
  steps: [
    { id: 'profile', title: { en: 'Complete your profile', es: 'Completa tu perfil' }, tags: ['basics'] },
    {
      id: 'connect',
      title: { en: 'Connect your data', es: 'Conecta tus datos' },
      description: { en: 'Link your shop or CRM.', es: 'Enlaza tu tienda o CRM.' },
      tags: ['data'],
    },
    { id: 'campaign', title: { en: 'Launch a first campaign', es: 'Lanza una primera campaña' }, tags: ['campaigns', 'marketing'], prerequisites: ['connect'] },
    { id: 'invite', title: { en: 'Invite your team', es: 'Invita a tu equipo' }, tags: ['team'] },
    { id: 'sso', title: { en: 'Set up single sign-on', es: 'Configura el inicio de sesión único' }, tags: ['security', 'it'], prerequisites: ['connect'] },
    { id: 'pipeline', title: { en: 'Import your sales pipeline', es: 'Importa tu embudo de ventas' }, tags: ['sales', 'crm'], prerequisites: ['invite'] },
  ],
  roles: {
    marketing: { tags: ['campaigns', 'marketing', 'data'] },
    it: { tags: ['it', 'security', 'data'] },
    sales: { tags: ['sales', 'crm', 'team'] },
    growth: { tags: ['campaigns', 'marketing', 'team'] },
  },
  activation: { type: 'purchase' },
};

/** The event a product sends when a person completes a step. */
export const stepEvent = (userId: string, step: string, at: number) => ({
  type: 'click',
  userId,
  itemId: 'app',
  properties: { step },
  timestamp: new Date(at).toISOString(),
});
