import type { CalendarBody, ProductBody, WorkCenterBody } from '../contract/master-data.ts';
import type { OrderBody } from '../contract/orders.ts';
import { between, pick } from './random.ts';

/** The demo plant: a machining + fabrication + assembly shop of the kind Takt is built for. */
export const DEMO_PLANT = { code: 'DEMO', name: '苏州精工 · Suzhou Precision Works', timeZone: 'Asia/Shanghai' };

const weekdays = [1, 2, 3, 4, 5, 6] as const;

export const demoCalendar: { code: string; body: CalendarBody } = {
  code: 'TWO-SHIFT',
  body: {
    name: 'Two shifts, Mon-Sat',
    timeZone: DEMO_PLANT.timeZone,
    shifts: weekdays.flatMap((weekday) => [
      { weekday, start: '06:00', end: '14:00' },
      { weekday, start: '14:00', end: '22:00' },
    ]),
    exceptions: [],
  },
};

export const demoWorkCenters: { code: string; body: WorkCenterBody }[] = [
  ['SAW', 'Band saw 带锯', 'L1', 1],
  ['LATHE', 'CNC lathe 数控车床', 'L1', 3],
  ['MILL', 'CNC mill 加工中心', 'L1', 2],
  ['DRILL', 'Drill press 钻床', 'L1', 1],
  ['LASER', 'Laser cutter 激光切割', 'L2', 2],
  ['BRAKE', 'Press brake 折弯机', 'L2', 2],
  ['WELD', 'Welding 焊接', 'L2', 3],
  ['PAINT', 'Paint line 喷涂线', 'L2', 1],
  ['DEBURR', 'Deburr 去毛刺', 'L3', 2],
  ['ASSY', 'Assembly 装配', 'L3', 3],
  ['TEST', 'Test bench 测试台', 'L3', 1],
  ['PACK', 'Packing 包装', 'L3', 2],
].map(([code, name, line, machines]) => ({
  code: code as string,
  body: { name: name as string, line: line as string, machines: machines as number, calendar: demoCalendar.code, setupMatrix: [] },
}));

export const demoLines: Record<string, string> = { L1: 'Machining 机加工', L2: 'Fabrication 钣金焊接', L3: 'Assembly 装配' };

type Step = [workCenter: string, setupMinutes: number, runMinutesPerUnit: number];

function product(name: string, family: string, steps: Step[]): ProductBody {
  return {
    name,
    family,
    routing: steps.map(([workCenter, setupMinutes, runMinutesPerUnit], i) => ({
      seq: i + 1,
      workCenter,
      setupMinutes,
      runMinutesPerUnit,
      minTransferMinutes: 0,
    })),
  };
}

export const demoProducts: { code: string; body: ProductBody }[] = [
  { code: 'SHAFT-20', body: product('Drive shaft 传动轴 Ø20', 'shaft', [['SAW', 10, 0.5], ['LATHE', 30, 3], ['MILL', 40, 2], ['DEBURR', 5, 0.8], ['PACK', 5, 0.3]]) },
  { code: 'SHAFT-35', body: product('Drive shaft 传动轴 Ø35', 'shaft', [['SAW', 10, 0.8], ['LATHE', 35, 4.5], ['MILL', 40, 3], ['DRILL', 15, 1], ['DEBURR', 5, 1], ['PACK', 5, 0.3]]) },
  { code: 'FLANGE-A', body: product('Flange 法兰 A', 'flange', [['SAW', 10, 0.4], ['LATHE', 25, 2.5], ['DRILL', 15, 1.2], ['DEBURR', 5, 0.6]]) },
  { code: 'HOUSING-S', body: product('Gear housing 齿轮箱体 S', 'housing', [['MILL', 60, 6], ['DRILL', 20, 2], ['DEBURR', 10, 1.5], ['PAINT', 30, 1], ['ASSY', 20, 4], ['TEST', 15, 2], ['PACK', 5, 0.5]]) },
  { code: 'HOUSING-L', body: product('Gear housing 齿轮箱体 L', 'housing', [['SAW', 15, 1], ['MILL', 60, 8], ['DRILL', 20, 2.5], ['DEBURR', 10, 2], ['PAINT', 30, 1.5], ['ASSY', 30, 6], ['TEST', 15, 3], ['PACK', 10, 0.8]]) },
  { code: 'BRACKET', body: product('Mounting bracket 安装支架', 'sheet', [['LASER', 15, 0.6], ['BRAKE', 20, 0.8], ['DEBURR', 5, 0.4], ['PAINT', 30, 0.4]]) },
  { code: 'CABINET', body: product('Control cabinet 控制柜', 'sheet', [['LASER', 20, 3], ['BRAKE', 30, 4], ['WELD', 30, 8], ['PAINT', 40, 3], ['ASSY', 30, 12], ['TEST', 20, 6], ['PACK', 10, 2]]) },
  { code: 'FRAME', body: product('Welded frame 焊接机架', 'frame', [['SAW', 15, 2], ['LASER', 15, 2], ['WELD', 40, 10], ['MILL', 45, 6], ['PAINT', 40, 3], ['PACK', 10, 1]]) },
  { code: 'PUMP-UNIT', body: product('Pump unit 泵组', 'assembly', [['LATHE', 30, 5], ['MILL', 40, 4], ['ASSY', 30, 10], ['TEST', 20, 8], ['PACK', 10, 2]]) },
  { code: 'COVER', body: product('Guard cover 防护罩', 'sheet', [['LASER', 10, 0.8], ['BRAKE', 15, 1], ['WELD', 20, 2], ['PAINT', 30, 0.8], ['PACK', 5, 0.3]]) },
];

export const demoCustomers = ['三一重工', '徐工机械', '美的集团', 'Bosch Rexroth', 'Siemens Suzhou', '汇川技术', 'Schneider Wuxi', '格力电器'];

/** Units per order of a product: heavy products (over 20 routing minutes a unit) in small lots, light ones in larger lots. */
export function demoQuantityRange(product: ProductBody): { min: number; max: number } {
  const heavy = product.routing.reduce((sum, s) => sum + s.runMinutesPerUnit, 0) > 20;
  return heavy ? { min: 4, max: 24 } : { min: 30, max: 240 };
}

/**
 * One demo order: of the given product, or of a random one; lot size by demoQuantityRange, one in
 * seven urgent. The seed, the simulator's new arrivals and the digital twin make their orders here.
 */
export function demoOrder(random: () => number, code: string, dueAt: Date, productCode?: string): OrderBody & { dueAt: string } {
  const p = demoProducts.find((d) => d.code === productCode) ?? pick(random, demoProducts);
  const lot = demoQuantityRange(p.body);
  const due = new Date(dueAt);
  due.setUTCMinutes(0, 0, 0);
  return {
    code,
    product: p.code,
    quantity: between(random, lot.min, lot.max),
    dueAt: due.toISOString(),
    priority: random() < 0.15 ? 3 : 1,
    customer: pick(random, demoCustomers),
  };
}
