import { DEVICE_FIELDS, type DeviceColumns, type DeviceField, deviceColumns } from '@netpulse/projections';
import { type FieldNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** The view fields each `LatestMetrics` field is read from. */
const LATEST_FIELDS: Readonly<Record<string, readonly DeviceField[]>> = {
  observedAt: ['lastObservedAt'],
  reachable: ['reachable'],
  rttAvgMs: ['rttAvgMs'],
  lossPct: ['lossPct'],
  cpuPct: ['cpuPct'],
  memoryPct: ['memoryPct'],
  lastError: ['lastError'],
  __typename: [],
};

/**
 * The view fields each `Device` field needs beyond the key (deviceId, name), which is always read.
 * Fields of the view not named here are read under their own name; a field known to neither (one
 * added to the schema later) makes the page read every column rather than miss one.
 */
const DERIVED_FIELDS: Readonly<Record<string, readonly DeviceField[]>> = {
  __typename: [],
  inMaintenance: ['maintenance'],
  version: [],
  statusTimeline: [],
  availability: [],
  activeAlerts: [],
};

const viewFields = new Set<string>(DEVICE_FIELDS);
const isViewField = (name: string): name is DeviceField => viewFields.has(name);

class UnknownSelection extends Error {}

/** Every field selected in a selection set, through inline fragments and fragment spreads. */
const fieldsOf = (selectionSet: SelectionSetNode, fragments: Fragments): FieldNode[] =>
  selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments);
    const fragment = fragments[selection.name.value];
    if (!fragment) throw new UnknownSelection();
    return fieldsOf(fragment.selectionSet, fragments);
  });

/**
 * What a selection on `Device` reads. `@skip`/`@include` are ignored: reading a column a directive
 * leaves out costs little, missing one would return a wrong null.
 */
const deviceFieldsOf = (selectionSet: SelectionSetNode, fragments: Fragments): DeviceField[] =>
  fieldsOf(selectionSet, fragments).flatMap((field): readonly DeviceField[] => {
    const name = field.name.value;
    if (name === 'latest') {
      if (!field.selectionSet) throw new UnknownSelection();
      return fieldsOf(field.selectionSet, fragments).flatMap((metric) => {
        const read = LATEST_FIELDS[metric.name.value];
        if (!read) throw new UnknownSelection();
        return read;
      });
    }
    const derived = DERIVED_FIELDS[name];
    if (derived) return derived;
    if (isViewField(name)) return [name];
    throw new UnknownSelection();
  });

/** The `Device` selections of a `DeviceConnection`: under `nodes` and under `edges { node }`. */
const connectionDeviceFields = (selectionSet: SelectionSetNode, fragments: Fragments): DeviceField[] =>
  fieldsOf(selectionSet, fragments).flatMap((field) => {
    const nested = field.selectionSet;
    if (!nested) return [];
    if (field.name.value === 'nodes') return deviceFieldsOf(nested, fragments);
    if (field.name.value === 'edges')
      return fieldsOf(nested, fragments)
        .filter((edgeField) => edgeField.name.value === 'node' && edgeField.selectionSet)
        .flatMap((node) => deviceFieldsOf(node.selectionSet!, fragments));
    return [];
  });

const ALL = deviceColumns(DEVICE_FIELDS);
/**
 * By field node of the document: mercurius caches parsed documents and graphql-jit compiles them,
 * so the same query text hands the resolver the same nodes, and each shape is walked once.
 */
const byFieldNode = new WeakMap<FieldNode, DeviceColumns>();

export type ConnectionSelection = Readonly<{
  fieldNodes: readonly FieldNode[];
  fragments: Fragments;
}>;

/** The columns a `devices` connection field needs to answer its selection. */
export const devicePageColumns = ({ fieldNodes, fragments }: ConnectionSelection): DeviceColumns => {
  const first = fieldNodes[0];
  if (!first) return ALL;
  const cached = byFieldNode.get(first);
  if (cached) return cached;
  let columns = ALL;
  try {
    columns = deviceColumns(
      fieldNodes.flatMap((node) =>
        node.selectionSet ? connectionDeviceFields(node.selectionSet, fragments) : [],
      ),
    );
  } catch (error) {
    if (!(error instanceof UnknownSelection)) throw error;
  }
  byFieldNode.set(first, columns);
  return columns;
};
