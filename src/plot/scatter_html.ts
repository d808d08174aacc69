/**
 * A self-contained HTML page with an interactive scatter plot of a 2-D
 * embedding: a canvas drawn by inline JavaScript from base64-embedded data,
 * coloured by class with the label at each class centre; wheel zooms, drag
 * pans, hovering names the point, clicking a legend entry hides its class.
 * It needs no network.
 *
 * ```ts
 * import { scatterHtml } from "./scatter_html.ts";
 * const html = scatterHtml(new Float32Array([0, 0, 1, 1]), { labels: [3, 7], title: "t-SNE" });
 * ```
 *
 * @module
 */
import { classCentres, classColour, className } from "./scatter.ts";
import { Canvas } from "./canvas.ts";
import { base64, escapeHtml } from "./_html.ts";

/** Options for {@linkcode scatterHtml}. */
export interface ScatterHtmlOptions {
  /** Class of each point, 0-255 (default: all 0). */
  labels?: ArrayLike<number>;
  /** The name of class `i`, shown instead of its number (default: the numbers). */
  classNames?: readonly string[];
  /** Page title and heading (default "t-SNE"). */
  title?: string;
  /** A line under the heading, e.g. the parameters (default none). */
  subtitle?: string;
  /** The image behind each point, shown when hovering it (default: none). */
  thumbnails?: ScatterThumbnails;
}

/** Images, grey or RGB, one per point, for the hover tooltip. */
export interface ScatterThumbnails {
  /** Row-major n x height x width x channels values in [0,1] (or [-1,1] with `symmetric`). */
  images: Float32Array;
  height: number;
  width: number;
  /** Values per pixel, channels last: 1 grey, 3 RGB (default 1). */
  channels?: number;
  /** Values are in [-1,1] (default false). */
  symmetric?: boolean;
}

/** All thumbnails in one PNG sprite sheet, `cols` per row. */
function spriteSheet(t: ScatterThumbnails, n: number): { png: Uint8Array; cols: number } {
  const channels = t.channels ?? 1;
  const cols = Math.ceil(Math.sqrt(n)), px = t.height * t.width * channels;
  const sheet = new Canvas(cols * t.width, Math.ceil(n / cols) * t.height);
  for (let i = 0; i < n; i++) {
    let img: ArrayLike<number> = t.images.subarray(i * px, (i + 1) * px);
    if (t.symmetric) img = Float32Array.from(img, (v) => (v + 1) / 2);
    const [x, y] = [(i % cols) * t.width, Math.floor(i / cols) * t.height];
    sheet.image(x, y, img, t.width, t.height, 1, channels);
  }
  return { png: sheet.toPng(), cols };
}

/**
 * The scatter as an HTML fragment (styles, canvas, legend and script, all
 * inline) for embedding in a larger page such as a run's report.
 *
 * @example
 * ```ts
 * import { scatterSection } from "./scatter_html.ts";
 * const embedding = new Float32Array([0, 0, 1, 1]), labels = Uint8Array.of(3, 8);
 * const images = new Float32Array(2 * 28 * 28); // the two points' images
 * const section = scatterSection(embedding, { labels, thumbnails: { images, height: 28, width: 28 } });
 * ```
 */
export function scatterSection(points: Float32Array, options: ScatterHtmlOptions = {}): string {
  const n = points.length / 2;
  const labels = Uint8Array.from(options.labels ?? new Uint8Array(n));
  if (labels.length !== n) throw new Error(`scatterHtml: ${labels.length} labels for ${n} points`);
  const centres = options.labels ? classCentres(points, labels) : [];
  const palette = Object.fromEntries(
    [...new Set(labels)].map((l) => [l, `rgb(${classColour(l).join(",")})`]),
  );
  const xy = new Float32Array(points); // copy: the view may be offset into a larger buffer
  const t = options.thumbnails;
  const sprite = t ? spriteSheet(t, n) : undefined;
  const data = JSON.stringify({
    xy: base64(new Uint8Array(xy.buffer)),
    labels: base64(labels),
    centres: centres.map(({ label, x, y, count }) => ({ label, x, y, count })),
    names: Object.fromEntries(
      [...new Set(labels)].map((l) => [l, className(l, options.classNames)]),
    ),
    palette,
    showCentres: options.labels !== undefined,
    sprite: sprite && t
      ? {
        png: base64(sprite.png),
        cols: sprite.cols,
        w: t.width,
        h: t.height,
        rows: Math.ceil(n / sprite.cols),
      }
      : null,
  }).replaceAll("<", "\\u003c"); // class names are data: no "</script>" may end the script early
  return `<style>
.sc-wrap{display:flex;gap:12px;align-items:flex-start}
.sc-wrap canvas{border:1px solid #ccc;cursor:grab;touch-action:none}
.sc-legend div{cursor:pointer;padding:2px 6px;user-select:none}
.sc-legend div.off{opacity:.3}
.sc-legend span{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px}
.sc-tip{position:fixed;pointer-events:none;background:#fff;border:1px solid #999;padding:2px 6px;display:none}
.sc-thumb{width:84px;height:84px;image-rendering:pixelated;background-repeat:no-repeat}
</style>
<div class="sc">
${options.subtitle ? `<p>${escapeHtml(options.subtitle)}</p>` : ""}
<div class="sc-wrap"><canvas class="sc-canvas" width="900" height="800"></canvas><div class="sc-legend"></div></div>
<div class="sc-tip"><div class="sc-label"></div><div class="sc-thumb"></div></div>
<p>Wheel: zoom. Drag: pan. Double-click: reset. Click a legend entry to hide its class.</p>
<script>
(()=>{
const D=${data};
const root=document.currentScript.parentElement;
const dec=(s)=>Uint8Array.from(atob(s),(c)=>c.charCodeAt(0));
const xy=new Float32Array(dec(D.xy).buffer),lab=dec(D.labels),n=lab.length;
const cv=root.querySelector(".sc-canvas"),g=cv.getContext("2d"),tip=root.querySelector(".sc-tip"),tipLabel=tip.querySelector(".sc-label"),thumb=tip.querySelector(".sc-thumb");
if(D.sprite){const k=84/D.sprite.w;thumb.style.backgroundImage="url(data:image/png;base64,"+D.sprite.png+")";thumb.style.backgroundSize=(D.sprite.cols*D.sprite.w*k)+"px "+(D.sprite.rows*D.sprite.h*k)+"px";}else thumb.style.display="none";
const hidden=new Set();
let x0=Infinity,x1=-Infinity,y0=Infinity,y1=-Infinity;
for(let i=0;i<n;i++){x0=Math.min(x0,xy[2*i]);x1=Math.max(x1,xy[2*i]);y0=Math.min(y0,xy[2*i+1]);y1=Math.max(y1,xy[2*i+1]);}
let s0=Math.min((cv.width-20)/((x1-x0)||1),(cv.height-20)/((y1-y0)||1)),view;
const reset=()=>{view={s:s0,ox:10-x0*s0,oy:cv.height-10+y0*s0};};reset();
const sx=(x)=>view.ox+x*view.s,sy=(y)=>view.oy-y*view.s;
const r=n>20000?1.2:n>3000?1.8:3;
function draw(){
 g.clearRect(0,0,cv.width,cv.height);g.globalAlpha=n>20000?.4:.65;
 for(const l of Object.keys(D.palette)){if(hidden.has(+l))continue;g.fillStyle=D.palette[l];g.beginPath();
  for(let i=0;i<n;i++)if(lab[i]==l){const X=sx(xy[2*i]),Y=sy(xy[2*i+1]);g.moveTo(X+r,Y);g.arc(X,Y,r,0,6.2832);}
  g.fill();}
 g.globalAlpha=1;g.font="bold 22px system-ui,sans-serif";g.textAlign="center";g.textBaseline="middle";
 if(D.showCentres)for(const c of D.centres){if(hidden.has(c.label))continue;const X=sx(c.x),Y=sy(c.y),w=g.measureText(D.names[c.label]).width+10;
  g.fillStyle="rgba(255,255,255,.7)";g.fillRect(X-w/2,Y-14,w,28);g.fillStyle="#000";g.fillText(D.names[c.label],X,Y);}
}
const legend=root.querySelector(".sc-legend");
for(const c of D.centres){const d=document.createElement("div");d.innerHTML='<span style="background:'+D.palette[c.label]+'"></span>';d.append(D.names[c.label]+" ("+c.count+")");
 d.onclick=()=>{hidden.has(c.label)?hidden.delete(c.label):hidden.add(c.label);d.classList.toggle("off");draw();};legend.appendChild(d);}
cv.addEventListener("wheel",(e)=>{e.preventDefault();const f=Math.exp(-e.deltaY*.0015),b=cv.getBoundingClientRect(),mx=e.clientX-b.left,my=e.clientY-b.top;
 view.ox=mx-(mx-view.ox)*f;view.oy=my-(my-view.oy)*f;view.s*=f;draw();},{passive:false});
let drag=null;
cv.addEventListener("pointerdown",(e)=>{drag={x:e.clientX,y:e.clientY};cv.setPointerCapture(e.pointerId);});
cv.addEventListener("pointerup",()=>{drag=null;});
cv.addEventListener("dblclick",()=>{reset();draw();});
cv.addEventListener("pointermove",(e)=>{
 if(drag){view.ox+=e.clientX-drag.x;view.oy+=e.clientY-drag.y;drag={x:e.clientX,y:e.clientY};draw();tip.style.display="none";return;}
 const b=cv.getBoundingClientRect(),mx=e.clientX-b.left,my=e.clientY-b.top;let best=-1,bd=64;
 for(let i=0;i<n;i++){if(hidden.has(lab[i]))continue;const dx=sx(xy[2*i])-mx,dy=sy(xy[2*i+1])-my,d=dx*dx+dy*dy;if(d<bd){bd=d;best=i;}}
 if(best<0){tip.style.display="none";return;}
 tipLabel.textContent="#"+best+(D.showCentres?"  "+D.names[lab[best]]:"");
 if(D.sprite){const k=84/D.sprite.w;thumb.style.backgroundPosition=(-(best%D.sprite.cols)*D.sprite.w*k)+"px "+(-Math.floor(best/D.sprite.cols)*D.sprite.h*k)+"px";}
 tip.style.left=(e.clientX+12)+"px";tip.style.top=(e.clientY+12)+"px";tip.style.display="block";});
draw();
cv.dataset.points=String(n);
})();
</script>
</div>
`;
}

/**
 * The page, as a string.
 *
 * @example
 * ```ts
 * import { scatterHtml } from "./scatter_html.ts";
 * const embedding = new Float32Array([0, 0, 1, 1]), labels = Uint8Array.of(3, 8);
 * await Deno.writeTextFile("tsne.html", scatterHtml(embedding, { labels, title: "conv features" }));
 * ```
 */
export function scatterHtml(points: Float32Array, options: ScatterHtmlOptions = {}): string {
  const title = escapeHtml(options.title ?? "t-SNE");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px system-ui,sans-serif;margin:12px;color:#222}</style></head><body>
<h2>${title}</h2>
${scatterSection(points, options)}</body></html>
`;
}
