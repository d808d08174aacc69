/** The compiled kNN kernel. */
export declare const knn: WebAssembly.Module;
/** The compiled gradient kernel. */
export declare const gradient: WebAssembly.Module;
