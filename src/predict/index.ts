/**
 * Predictions: churn risk, next purchase and propensity per person, learnt from the shop's own
 * history. Other slices (nudges, the profile) read them through PredictionsReader.
 */
export {
  PredictService,
  PREDICTOR_BLOB,
  type PredictDeps,
  type PredictionsReader,
  type PredictionsView,
  type ItemFacts,
  type FactorView,
} from './predict-service.ts';
export { predictRoutes } from './routes.ts';
export { trainPredictor, predictPerson, overDays, type PredictorState, type PersonPredictions, type Factor } from './predictor.ts';
export { buildEventLog, kindOfType, type EventLog, type LogRow } from './event-log.ts';
