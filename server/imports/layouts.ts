import type { ImportKind } from '../contract/imports.ts';

/**
 * The flat file layout of each kind: one column per field, headed by its English code. Chinese
 * headers are accepted too, since factories export from ERPs that write them (订单号 for order).
 */
export interface Column {
  /** The header the template writes, and the field the row fills. */
  key: string;
  required: boolean;
  /** Other headers meaning the same column. */
  aliases: string[];
  /** What the column holds, for the template's notes sheet: English, then Chinese. */
  note: [string, string];
}

const orders: Column[] = [
  { key: 'order', required: true, aliases: ['code', 'orderCode', '订单号', '订单编号', '订单'], note: ['Order code (unique)', '订单号（唯一）'] },
  { key: 'product', required: true, aliases: ['productCode', '产品', '产品编码', '产品编号', '物料编码'], note: ['Product code; the product must have a routing', '产品编码；产品须已有工艺路线'] },
  { key: 'quantity', required: true, aliases: ['qty', '数量', '订单数量'], note: ['Quantity, a whole number >= 1', '数量，>= 1 的整数'] },
  { key: 'dueAt', required: true, aliases: ['due', 'dueDate', '交期', '交货日期', '交货期'], note: ['Due date in plant time: 2026-12-24 (end of that day) or 2026-12-24 17:00, or an Excel date', '交期（工厂时间）：2026-12-24（当天结束）或 2026-12-24 17:00，或 Excel 日期'] },
  { key: 'releaseAt', required: false, aliases: ['release', 'releaseDate', '下达日期', '最早开工', '开工日期'], note: ['Earliest start in plant time: a date means the start of that day; empty: now', '最早开工（工厂时间）：日期即当天开始；空：立即'] },
  { key: 'priority', required: false, aliases: ['优先级'], note: ['Priority 1..10 (empty: 1)', '优先级 1..10（空：1）'] },
  { key: 'customer', required: false, aliases: ['客户', '客户名称'], note: ['Customer name', '客户名称'] },
];

const products: Column[] = [
  { key: 'type', required: false, aliases: ['rowType', '类型', '行类型'], note: ['step (a routing step) or bom (a bill-of-materials line); empty: bom when component is filled, else step', 'step（工序）或 bom（物料清单行）；空：填了物料即 bom，否则 step'] },
  { key: 'product', required: true, aliases: ['productCode', 'code', '产品', '产品编码', '产品编号'], note: ['Product code; its rows together replace the product (routing, and the BOM when it has bom rows)', '产品编码；同一产品的所有行一起替换该产品（工艺路线；有 bom 行时也替换物料清单）'] },
  { key: 'name', required: false, aliases: ['productName', '产品名称', '名称'], note: ['Product name (on at least one of its rows)', '产品名称（至少一行填写）'] },
  { key: 'family', required: false, aliases: ['产品族', '产品系列'], note: ['Product family (optional)', '产品族（可选）'] },
  { key: 'seq', required: true, aliases: ['step', '工序号', '工序', '工序序号'], note: ['Step number 1..n without gaps; on a bom row, the step that consumes the component', '工序号 1..n 连续；bom 行为消耗该物料的工序'] },
  { key: 'workCenter', required: true, aliases: ['work center', '工作中心', '工位'], note: ['Work center code (step rows)', '工作中心编码（step 行）'] },
  { key: 'setupMinutes', required: true, aliases: ['setup', '准备时间', '准备分钟', '换型时间'], note: ['Setup minutes (step rows)', '准备时间（分钟，step 行）'] },
  { key: 'runMinutesPerUnit', required: true, aliases: ['runMinutes', '单件工时', '单件分钟', '节拍'], note: ['Run minutes per unit, > 0 (step rows)', '单件工时（分钟，> 0，step 行）'] },
  { key: 'minTransferMinutes', required: false, aliases: ['transferMinutes', '转移时间', '转序时间'], note: ['Minutes between steps (empty: 0)', '转序时间（分钟，空：0）'] },
  { key: 'description', required: false, aliases: ['工序说明', '工序名称', '说明'], note: ['Step description', '工序说明'] },
  { key: 'component', required: false, aliases: ['componentCode', '物料', '物料编码', '子件'], note: ['Component code (bom rows); it must exist', '物料编码（bom 行）；物料须已存在'] },
  { key: 'quantityPerUnit', required: false, aliases: ['qtyPerUnit', '单位用量', '用量'], note: ['Quantity per unit of the product, > 0 (bom rows)', '每件产品用量，> 0（bom 行）'] },
];

const components: Column[] = [
  { key: 'component', required: true, aliases: ['code', 'componentCode', '物料编码', '物料号', '物料'], note: ['Component code', '物料编码'] },
  { key: 'name', required: true, aliases: ['物料名称', '名称'], note: ['Name', '物料名称'] },
  { key: 'unit', required: true, aliases: ['单位', '计量单位'], note: ['Unit (pcs, kg, m)', '单位（件、千克、米）'] },
  { key: 'onHand', required: true, aliases: ['stock', '库存', '现有库存', '库存数量'], note: ['Counted stock on hand: a difference to the books is booked as a count', '盘点库存：与账面的差异记为盘点调整'] },
  { key: 'reorderPoint', required: true, aliases: ['再订货点', '订货点', '安全库存'], note: ['Reorder point', '再订货点'] },
  { key: 'leadTimeDays', required: true, aliases: ['leadTime', '采购提前期', '提前期', '提前期（天）'], note: ['Purchase lead time in days', '采购提前期（天）'] },
];

export const layouts: Record<ImportKind, Column[]> = { orders, products, components };

/** Headers compared loosely: case, spaces, underscores, hyphens and a trailing unit in brackets do not matter. */
export function headerKey(header: string): string {
  return header
    .trim()
    .replace(/[（(][^）)]*[）)]$/u, '')
    .replace(/[\s_-]/gu, '')
    .toLowerCase();
}

/** The column a header names, if any. */
export function columnOf(kind: ImportKind, header: string): Column | undefined {
  const wanted = headerKey(header);
  if (!wanted) return undefined;
  return layouts[kind].find((c) => headerKey(c.key) === wanted || c.aliases.some((a) => headerKey(a) === wanted));
}
