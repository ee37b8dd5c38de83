import { prepareGrokkingSweep } from './grokking-sweep.js';
import { prepareHessianProduct } from './hessian-product.js';
import { prepareLstmStep } from './lstm-step.js';
import { prepareMnistEpoch } from './mnist-epoch.js';
import type { PreparedWorkload } from './prepared-workload.js';
import { prepareTransformerStep } from './transformer-step.js';

const preparers: Record<string, () => PreparedWorkload | Promise<PreparedWorkload>> = {
  'transformer-train-step': prepareTransformerStep,
  'lstm-train-step': prepareLstmStep,
  'mlp-mnist-epoch': prepareMnistEpoch,
  'mlp-hessian-vector-product': prepareHessianProduct,
  'grokking-8-seeds-20-steps': prepareGrokkingSweep,
};

/** Builds the workload named as in WORKLOADS.md; throws for an unknown name. */
export async function prepareWorkload(name: string): Promise<PreparedWorkload> {
  const prepare = preparers[name];
  if (prepare === undefined) throw new Error(`unknown workload "${name}"`);
  return prepare();
}
