/** `mrd/flatView`: the `info mtree -f` text of a document's machine. */
export declare const FlatViewRequest: {
    readonly method: "mrd/flatView";
};
export interface FlatViewParams {
    /** The document's URI. */
    readonly uri: string;
    /** Restrict the output to the flat view of this address space (by name). */
    readonly space?: string;
}
export interface FlatViewResult {
    /** `info mtree -f` text, byte-compatible with QEMU's output. */
    readonly text: string;
    /** Names of the document's address spaces, in creation order. */
    readonly spaces: readonly string[];
    /** The document version the text was computed from. */
    readonly version: number;
}
/** `mrd/mtree`: the `info mtree` (or `-D`) tree text of a document's machine. */
export declare const MtreeRequest: {
    readonly method: "mrd/mtree";
};
export interface MtreeParams {
    readonly uri: string;
    /** `info mtree -D`: include disabled regions. */
    readonly disabled?: boolean;
}
export interface MtreeResult {
    readonly text: string;
    readonly version: number;
}
/** The `mrd.*` settings, as contributed in package.json. */
export interface MrdSettings {
    readonly cpu: {
        readonly physBits: number;
    };
    readonly iommu: {
        readonly awBits: number;
    };
    readonly inlayHints: {
        readonly enabled: boolean;
    };
    /** Per-code severity overrides: `{ "MR3001": "warning", "MR2002": "off" }`. */
    readonly severity: Readonly<Record<string, SeverityOverride>>;
}
export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';
export declare const defaultSettings: MrdSettings;
/** Command ids contributed by the client (package.json `contributes.commands`). */
export declare const Commands: {
    readonly showFlatView: "mrd.showFlatView";
    readonly showMtree: "mrd.showMtree";
    readonly restartServer: "mrd.restartServer";
};
/** The URI scheme of the client's read-only views (`mrd-view:/…`). */
export declare const viewScheme = "mrd-view";
