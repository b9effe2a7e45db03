/** The demo-data module's part of the demo county: its organizations, members and posts from the national division data, and a year of organizational life (generate.ts, life.ts). */
import type { DemoPart } from '../../platform/demo.ts';
import { seedDemoCounty } from './generate.ts';

const part: DemoPart = {
  county: async (tx, ctx) => ({
    ...(await seedDemoCounty(tx, ctx.crypto, ctx.county, ctx.log, ctx.now, { townships: ctx.townships })),
  }),
};

export default part;
