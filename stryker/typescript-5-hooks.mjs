export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL?.includes('/@stryker-mutator/')) return next('typescript-5', context);
  return next(specifier, context);
}
