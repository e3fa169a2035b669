// Test helper: build region graphs directly (no parser), mirroring QEMU's API calls.
import {
  type Machine, type Region, type RegionKind, addSubregion, createRegion, newMachine,
} from '../../src/model/region.js';

export interface RegionSpec {
  kind: RegionKind;
  name: string;
  size: bigint;
  enabled?: boolean;
  readonly?: boolean;
  nonvolatile?: boolean;
  romdMode?: boolean;
}

export class TestMachine {
  readonly m: Machine = newMachine();
  region(spec: RegionSpec): Region {
    return createRegion(this.m, spec);
  }
  /** memory_region_init + add_subregion_overlap in one go. */
  add(parent: Region, at: bigint, spec: RegionSpec, priority = 0): Region {
    const r = this.region(spec);
    addSubregion(parent, at, r, priority);
    return r;
  }
  alias(name: string, target: Region, offset: bigint, size: bigint, extra: Partial<RegionSpec> = {}): Region {
    const r = createRegion(this.m, { kind: 'alias', name, size, alias: target, aliasOffset: offset, ...extra });
    return r;
  }
  space(name: string, root: Region | null): void {
    this.m.spaces.push({ name, root });
  }
}
