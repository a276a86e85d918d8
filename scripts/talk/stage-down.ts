import type { StageContext } from './stage-tools'
import { rmSync } from 'node:fs'
import { forgetSteps, planDown, talkClusters } from './stage-plan'
import { deleteKindCluster, presenterEnv, stagedClustersOrRefuse } from './stage-tools'
import { talkPaths, writeTalkState } from './talk-files'
import { kindContext } from './talk-steps'

// `npm run stage -- --down`: deletes the clusters staging created, and only those. kind runs
// with the presenter's kubeconfig, so it removes their kind-<cluster> context too. The kept
// outputs (.talk/outputs/) stay. Exit status: 0 done, 1 a deletion failed, 3 kind or docker
// can't run, or a recorded name now stands for a cluster staging did not create (nothing deleted).

export async function runDown(context: StageContext): Promise<number> {
  const clusters = talkClusters(context.scenarios)
  const found = await stagedClustersOrRefuse(context, clusters, 'nothing was deleted')
  if (!found)
    return 3
  const { present } = found
  let state = found.state
  const plan = planDown(clusters, state, present)
  let status = 0
  const forget = (cluster: string) => {
    const talk = clusters.find(c => c.cluster === cluster)
    const { [cluster]: _, ...others } = state.clusters
    state = forgetSteps({ clusters: others, staged: state.staged }, talk?.staged ?? [])
    rmSync(talkPaths(context.root).kubeconfig(cluster), { force: true })
    writeTalkState(context.root, state)
  }
  for (const cluster of plan.remove) {
    try {
      await deleteKindCluster(cluster, presenterEnv(context.env))
    }
    catch (error) {
      context.warn(`${(error as Error).message}; it stays recorded, so npm run stage -- --down tries again`)
      status = 1
      continue
    }
    forget(cluster)
    context.log(`deleted ${cluster} (kind removed its context ${kindContext(cluster)} from your kubeconfig)`)
  }
  for (const cluster of plan.gone) {
    forget(cluster)
    context.log(`${cluster} was already gone; forgot it`)
  }
  for (const cluster of plan.foreign)
    context.log(`left ${cluster} alone: npm run stage did not create it`)
  if (plan.remove.length + plan.gone.length === 0)
    context.log('nothing to delete: npm run stage has no cluster recorded in .talk/state.json')
  return status
}
