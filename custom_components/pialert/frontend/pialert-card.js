/**
 * @license
 * Copyright 2019 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const Z = globalThis, nt = Z.ShadowRoot && (Z.ShadyCSS === void 0 || Z.ShadyCSS.nativeShadow) && "adoptedStyleSheets" in Document.prototype && "replace" in CSSStyleSheet.prototype, at = Symbol(), mt = /* @__PURE__ */ new WeakMap();
let Ht = class {
  constructor(t, s, r) {
    if (this._$cssResult$ = !0, r !== at) throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");
    this.cssText = t, this.t = s;
  }
  get styleSheet() {
    let t = this.o;
    const s = this.t;
    if (nt && t === void 0) {
      const r = s !== void 0 && s.length === 1;
      r && (t = mt.get(s)), t === void 0 && ((this.o = t = new CSSStyleSheet()).replaceSync(this.cssText), r && mt.set(s, t));
    }
    return t;
  }
  toString() {
    return this.cssText;
  }
};
const Kt = (e) => new Ht(typeof e == "string" ? e : e + "", void 0, at), q = (e, ...t) => {
  const s = e.length === 1 ? e[0] : t.reduce((r, i, n) => r + ((o) => {
    if (o._$cssResult$ === !0) return o.cssText;
    if (typeof o == "number") return o;
    throw Error("Value passed to 'css' function must be a 'css' function result: " + o + ". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.");
  })(i) + e[n + 1], e[0]);
  return new Ht(s, e, at);
}, Gt = (e, t) => {
  if (nt) e.adoptedStyleSheets = t.map((s) => s instanceof CSSStyleSheet ? s : s.styleSheet);
  else for (const s of t) {
    const r = document.createElement("style"), i = Z.litNonce;
    i !== void 0 && r.setAttribute("nonce", i), r.textContent = s.cssText, e.appendChild(r);
  }
}, $t = nt ? (e) => e : (e) => e instanceof CSSStyleSheet ? ((t) => {
  let s = "";
  for (const r of t.cssRules) s += r.cssText;
  return Kt(s);
})(e) : e;
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const { is: Zt, defineProperty: Jt, getOwnPropertyDescriptor: Xt, getOwnPropertyNames: Qt, getOwnPropertySymbols: Yt, getPrototypeOf: te } = Object, tt = globalThis, bt = tt.trustedTypes, ee = bt ? bt.emptyScript : "", se = tt.reactiveElementPolyfillSupport, I = (e, t) => e, J = { toAttribute(e, t) {
  switch (t) {
    case Boolean:
      e = e ? ee : null;
      break;
    case Object:
    case Array:
      e = e == null ? e : JSON.stringify(e);
  }
  return e;
}, fromAttribute(e, t) {
  let s = e;
  switch (t) {
    case Boolean:
      s = e !== null;
      break;
    case Number:
      s = e === null ? null : Number(e);
      break;
    case Object:
    case Array:
      try {
        s = JSON.parse(e);
      } catch {
        s = null;
      }
  }
  return s;
} }, lt = (e, t) => !Zt(e, t), vt = { attribute: !0, type: String, converter: J, reflect: !1, useDefault: !1, hasChanged: lt };
Symbol.metadata ??= Symbol("metadata"), tt.litPropertyMetadata ??= /* @__PURE__ */ new WeakMap();
let O = class extends HTMLElement {
  static addInitializer(t) {
    this._$Ei(), (this.l ??= []).push(t);
  }
  static get observedAttributes() {
    return this.finalize(), this._$Eh && [...this._$Eh.keys()];
  }
  static createProperty(t, s = vt) {
    if (s.state && (s.attribute = !1), this._$Ei(), this.prototype.hasOwnProperty(t) && ((s = Object.create(s)).wrapped = !0), this.elementProperties.set(t, s), !s.noAccessor) {
      const r = Symbol(), i = this.getPropertyDescriptor(t, r, s);
      i !== void 0 && Jt(this.prototype, t, i);
    }
  }
  static getPropertyDescriptor(t, s, r) {
    const { get: i, set: n } = Xt(this.prototype, t) ?? { get() {
      return this[s];
    }, set(o) {
      this[s] = o;
    } };
    return { get: i, set(o) {
      const l = i?.call(this);
      n?.call(this, o), this.requestUpdate(t, l, r);
    }, configurable: !0, enumerable: !0 };
  }
  static getPropertyOptions(t) {
    return this.elementProperties.get(t) ?? vt;
  }
  static _$Ei() {
    if (this.hasOwnProperty(I("elementProperties"))) return;
    const t = te(this);
    t.finalize(), t.l !== void 0 && (this.l = [...t.l]), this.elementProperties = new Map(t.elementProperties);
  }
  static finalize() {
    if (this.hasOwnProperty(I("finalized"))) return;
    if (this.finalized = !0, this._$Ei(), this.hasOwnProperty(I("properties"))) {
      const s = this.properties, r = [...Qt(s), ...Yt(s)];
      for (const i of r) this.createProperty(i, s[i]);
    }
    const t = this[Symbol.metadata];
    if (t !== null) {
      const s = litPropertyMetadata.get(t);
      if (s !== void 0) for (const [r, i] of s) this.elementProperties.set(r, i);
    }
    this._$Eh = /* @__PURE__ */ new Map();
    for (const [s, r] of this.elementProperties) {
      const i = this._$Eu(s, r);
      i !== void 0 && this._$Eh.set(i, s);
    }
    this.elementStyles = this.finalizeStyles(this.styles);
  }
  static finalizeStyles(t) {
    const s = [];
    if (Array.isArray(t)) {
      const r = new Set(t.flat(1 / 0).reverse());
      for (const i of r) s.unshift($t(i));
    } else t !== void 0 && s.push($t(t));
    return s;
  }
  static _$Eu(t, s) {
    const r = s.attribute;
    return r === !1 ? void 0 : typeof r == "string" ? r : typeof t == "string" ? t.toLowerCase() : void 0;
  }
  constructor() {
    super(), this._$Ep = void 0, this.isUpdatePending = !1, this.hasUpdated = !1, this._$Em = null, this._$Ev();
  }
  _$Ev() {
    this._$ES = new Promise((t) => this.enableUpdating = t), this._$AL = /* @__PURE__ */ new Map(), this._$E_(), this.requestUpdate(), this.constructor.l?.forEach((t) => t(this));
  }
  addController(t) {
    (this._$EO ??= /* @__PURE__ */ new Set()).add(t), this.renderRoot !== void 0 && this.isConnected && t.hostConnected?.();
  }
  removeController(t) {
    this._$EO?.delete(t);
  }
  _$E_() {
    const t = /* @__PURE__ */ new Map(), s = this.constructor.elementProperties;
    for (const r of s.keys()) this.hasOwnProperty(r) && (t.set(r, this[r]), delete this[r]);
    t.size > 0 && (this._$Ep = t);
  }
  createRenderRoot() {
    const t = this.shadowRoot ?? this.attachShadow(this.constructor.shadowRootOptions);
    return Gt(t, this.constructor.elementStyles), t;
  }
  connectedCallback() {
    this.renderRoot ??= this.createRenderRoot(), this.enableUpdating(!0), this._$EO?.forEach((t) => t.hostConnected?.());
  }
  enableUpdating(t) {
  }
  disconnectedCallback() {
    this._$EO?.forEach((t) => t.hostDisconnected?.());
  }
  attributeChangedCallback(t, s, r) {
    this._$AK(t, r);
  }
  _$ET(t, s) {
    const r = this.constructor.elementProperties.get(t), i = this.constructor._$Eu(t, r);
    if (i !== void 0 && r.reflect === !0) {
      const n = (r.converter?.toAttribute !== void 0 ? r.converter : J).toAttribute(s, r.type);
      this._$Em = t, n == null ? this.removeAttribute(i) : this.setAttribute(i, n), this._$Em = null;
    }
  }
  _$AK(t, s) {
    const r = this.constructor, i = r._$Eh.get(t);
    if (i !== void 0 && this._$Em !== i) {
      const n = r.getPropertyOptions(i), o = typeof n.converter == "function" ? { fromAttribute: n.converter } : n.converter?.fromAttribute !== void 0 ? n.converter : J;
      this._$Em = i;
      const l = o.fromAttribute(s, n.type);
      this[i] = l ?? this._$Ej?.get(i) ?? l, this._$Em = null;
    }
  }
  requestUpdate(t, s, r, i = !1, n) {
    if (t !== void 0) {
      const o = this.constructor;
      if (i === !1 && (n = this[t]), r ??= o.getPropertyOptions(t), !((r.hasChanged ?? lt)(n, s) || r.useDefault && r.reflect && n === this._$Ej?.get(t) && !this.hasAttribute(o._$Eu(t, r)))) return;
      this.C(t, s, r);
    }
    this.isUpdatePending === !1 && (this._$ES = this._$EP());
  }
  C(t, s, { useDefault: r, reflect: i, wrapped: n }, o) {
    r && !(this._$Ej ??= /* @__PURE__ */ new Map()).has(t) && (this._$Ej.set(t, o ?? s ?? this[t]), n !== !0 || o !== void 0) || (this._$AL.has(t) || (this.hasUpdated || r || (s = void 0), this._$AL.set(t, s)), i === !0 && this._$Em !== t && (this._$Eq ??= /* @__PURE__ */ new Set()).add(t));
  }
  async _$EP() {
    this.isUpdatePending = !0;
    try {
      await this._$ES;
    } catch (s) {
      Promise.reject(s);
    }
    const t = this.scheduleUpdate();
    return t != null && await t, !this.isUpdatePending;
  }
  scheduleUpdate() {
    return this.performUpdate();
  }
  performUpdate() {
    if (!this.isUpdatePending) return;
    if (!this.hasUpdated) {
      if (this.renderRoot ??= this.createRenderRoot(), this._$Ep) {
        for (const [i, n] of this._$Ep) this[i] = n;
        this._$Ep = void 0;
      }
      const r = this.constructor.elementProperties;
      if (r.size > 0) for (const [i, n] of r) {
        const { wrapped: o } = n, l = this[i];
        o !== !0 || this._$AL.has(i) || l === void 0 || this.C(i, void 0, n, l);
      }
    }
    let t = !1;
    const s = this._$AL;
    try {
      t = this.shouldUpdate(s), t ? (this.willUpdate(s), this._$EO?.forEach((r) => r.hostUpdate?.()), this.update(s)) : this._$EM();
    } catch (r) {
      throw t = !1, this._$EM(), r;
    }
    t && this._$AE(s);
  }
  willUpdate(t) {
  }
  _$AE(t) {
    this._$EO?.forEach((s) => s.hostUpdated?.()), this.hasUpdated || (this.hasUpdated = !0, this.firstUpdated(t)), this.updated(t);
  }
  _$EM() {
    this._$AL = /* @__PURE__ */ new Map(), this.isUpdatePending = !1;
  }
  get updateComplete() {
    return this.getUpdateComplete();
  }
  getUpdateComplete() {
    return this._$ES;
  }
  shouldUpdate(t) {
    return !0;
  }
  update(t) {
    this._$Eq &&= this._$Eq.forEach((s) => this._$ET(s, this[s])), this._$EM();
  }
  updated(t) {
  }
  firstUpdated(t) {
  }
};
O.elementStyles = [], O.shadowRootOptions = { mode: "open" }, O[I("elementProperties")] = /* @__PURE__ */ new Map(), O[I("finalized")] = /* @__PURE__ */ new Map(), se?.({ ReactiveElement: O }), (tt.reactiveElementVersions ??= []).push("2.1.2");
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const ct = globalThis, yt = (e) => e, X = ct.trustedTypes, wt = X ? X.createPolicy("lit-html", { createHTML: (e) => e }) : void 0, Nt = "$lit$", S = `lit$${Math.random().toFixed(9).slice(2)}$`, Rt = "?" + S, re = `<${Rt}>`, T = document, L = () => T.createComment(""), j = (e) => e === null || typeof e != "object" && typeof e != "function", ht = Array.isArray, ie = (e) => ht(e) || typeof e?.[Symbol.iterator] == "function", it = `[ 	
\f\r]`, R = /<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g, _t = /-->/g, xt = />/g, E = RegExp(`>|${it}(?:([^\\s"'>=/]+)(${it}*=${it}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`, "g"), At = /'/g, St = /"/g, Bt = /^(?:script|style|textarea|title)$/i, It = (e) => (t, ...s) => ({ _$litType$: e, strings: t, values: s }), h = It(1), oe = It(2), M = Symbol.for("lit-noChange"), d = Symbol.for("lit-nothing"), kt = /* @__PURE__ */ new WeakMap(), P = T.createTreeWalker(T, 129);
function Lt(e, t) {
  if (!ht(e) || !e.hasOwnProperty("raw")) throw Error("invalid template strings array");
  return wt !== void 0 ? wt.createHTML(t) : t;
}
const ne = (e, t) => {
  const s = e.length - 1, r = [];
  let i, n = t === 2 ? "<svg>" : t === 3 ? "<math>" : "", o = R;
  for (let l = 0; l < s; l++) {
    const a = e[l];
    let u, g, c = -1, f = 0;
    for (; f < a.length && (o.lastIndex = f, g = o.exec(a), g !== null); ) f = o.lastIndex, o === R ? g[1] === "!--" ? o = _t : g[1] !== void 0 ? o = xt : g[2] !== void 0 ? (Bt.test(g[2]) && (i = RegExp("</" + g[2], "g")), o = E) : g[3] !== void 0 && (o = E) : o === E ? g[0] === ">" ? (o = i ?? R, c = -1) : g[1] === void 0 ? c = -2 : (c = o.lastIndex - g[2].length, u = g[1], o = g[3] === void 0 ? E : g[3] === '"' ? St : At) : o === St || o === At ? o = E : o === _t || o === xt ? o = R : (o = E, i = void 0);
    const p = o === E && e[l + 1].startsWith("/>") ? " " : "";
    n += o === R ? a + re : c >= 0 ? (r.push(u), a.slice(0, c) + Nt + a.slice(c) + S + p) : a + S + (c === -2 ? l : p);
  }
  return [Lt(e, n + (e[s] || "<?>") + (t === 2 ? "</svg>" : t === 3 ? "</math>" : "")), r];
};
class z {
  constructor({ strings: t, _$litType$: s }, r) {
    let i;
    this.parts = [];
    let n = 0, o = 0;
    const l = t.length - 1, a = this.parts, [u, g] = ne(t, s);
    if (this.el = z.createElement(u, r), P.currentNode = this.el.content, s === 2 || s === 3) {
      const c = this.el.content.firstChild;
      c.replaceWith(...c.childNodes);
    }
    for (; (i = P.nextNode()) !== null && a.length < l; ) {
      if (i.nodeType === 1) {
        if (i.hasAttributes()) for (const c of i.getAttributeNames()) if (c.endsWith(Nt)) {
          const f = g[o++], p = i.getAttribute(c).split(S), m = /([.?@])?(.*)/.exec(f);
          a.push({ type: 1, index: n, name: m[2], strings: p, ctor: m[1] === "." ? le : m[1] === "?" ? ce : m[1] === "@" ? he : et }), i.removeAttribute(c);
        } else c.startsWith(S) && (a.push({ type: 6, index: n }), i.removeAttribute(c));
        if (Bt.test(i.tagName)) {
          const c = i.textContent.split(S), f = c.length - 1;
          if (f > 0) {
            i.textContent = X ? X.emptyScript : "";
            for (let p = 0; p < f; p++) i.append(c[p], L()), P.nextNode(), a.push({ type: 2, index: ++n });
            i.append(c[f], L());
          }
        }
      } else if (i.nodeType === 8) if (i.data === Rt) a.push({ type: 2, index: n });
      else {
        let c = -1;
        for (; (c = i.data.indexOf(S, c + 1)) !== -1; ) a.push({ type: 7, index: n }), c += S.length - 1;
      }
      n++;
    }
  }
  static createElement(t, s) {
    const r = T.createElement("template");
    return r.innerHTML = t, r;
  }
}
function U(e, t, s = e, r) {
  if (t === M) return t;
  let i = r !== void 0 ? s._$Co?.[r] : s._$Cl;
  const n = j(t) ? void 0 : t._$litDirective$;
  return i?.constructor !== n && (i?._$AO?.(!1), n === void 0 ? i = void 0 : (i = new n(e), i._$AT(e, s, r)), r !== void 0 ? (s._$Co ??= [])[r] = i : s._$Cl = i), i !== void 0 && (t = U(e, i._$AS(e, t.values), i, r)), t;
}
class ae {
  constructor(t, s) {
    this._$AV = [], this._$AN = void 0, this._$AD = t, this._$AM = s;
  }
  get parentNode() {
    return this._$AM.parentNode;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  u(t) {
    const { el: { content: s }, parts: r } = this._$AD, i = (t?.creationScope ?? T).importNode(s, !0);
    P.currentNode = i;
    let n = P.nextNode(), o = 0, l = 0, a = r[0];
    for (; a !== void 0; ) {
      if (o === a.index) {
        let u;
        a.type === 2 ? u = new H(n, n.nextSibling, this, t) : a.type === 1 ? u = new a.ctor(n, a.name, a.strings, this, t) : a.type === 6 && (u = new de(n, this, t)), this._$AV.push(u), a = r[++l];
      }
      o !== a?.index && (n = P.nextNode(), o++);
    }
    return P.currentNode = T, i;
  }
  p(t) {
    let s = 0;
    for (const r of this._$AV) r !== void 0 && (r.strings !== void 0 ? (r._$AI(t, r, s), s += r.strings.length - 2) : r._$AI(t[s])), s++;
  }
}
class H {
  get _$AU() {
    return this._$AM?._$AU ?? this._$Cv;
  }
  constructor(t, s, r, i) {
    this.type = 2, this._$AH = d, this._$AN = void 0, this._$AA = t, this._$AB = s, this._$AM = r, this.options = i, this._$Cv = i?.isConnected ?? !0;
  }
  get parentNode() {
    let t = this._$AA.parentNode;
    const s = this._$AM;
    return s !== void 0 && t?.nodeType === 11 && (t = s.parentNode), t;
  }
  get startNode() {
    return this._$AA;
  }
  get endNode() {
    return this._$AB;
  }
  _$AI(t, s = this) {
    t = U(this, t, s), j(t) ? t === d || t == null || t === "" ? (this._$AH !== d && this._$AR(), this._$AH = d) : t !== this._$AH && t !== M && this._(t) : t._$litType$ !== void 0 ? this.$(t) : t.nodeType !== void 0 ? this.T(t) : ie(t) ? this.k(t) : this._(t);
  }
  O(t) {
    return this._$AA.parentNode.insertBefore(t, this._$AB);
  }
  T(t) {
    this._$AH !== t && (this._$AR(), this._$AH = this.O(t));
  }
  _(t) {
    this._$AH !== d && j(this._$AH) ? this._$AA.nextSibling.data = t : this.T(T.createTextNode(t)), this._$AH = t;
  }
  $(t) {
    const { values: s, _$litType$: r } = t, i = typeof r == "number" ? this._$AC(t) : (r.el === void 0 && (r.el = z.createElement(Lt(r.h, r.h[0]), this.options)), r);
    if (this._$AH?._$AD === i) this._$AH.p(s);
    else {
      const n = new ae(i, this), o = n.u(this.options);
      n.p(s), this.T(o), this._$AH = n;
    }
  }
  _$AC(t) {
    let s = kt.get(t.strings);
    return s === void 0 && kt.set(t.strings, s = new z(t)), s;
  }
  k(t) {
    ht(this._$AH) || (this._$AH = [], this._$AR());
    const s = this._$AH;
    let r, i = 0;
    for (const n of t) i === s.length ? s.push(r = new H(this.O(L()), this.O(L()), this, this.options)) : r = s[i], r._$AI(n), i++;
    i < s.length && (this._$AR(r && r._$AB.nextSibling, i), s.length = i);
  }
  _$AR(t = this._$AA.nextSibling, s) {
    for (this._$AP?.(!1, !0, s); t !== this._$AB; ) {
      const r = yt(t).nextSibling;
      yt(t).remove(), t = r;
    }
  }
  setConnected(t) {
    this._$AM === void 0 && (this._$Cv = t, this._$AP?.(t));
  }
}
class et {
  get tagName() {
    return this.element.tagName;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  constructor(t, s, r, i, n) {
    this.type = 1, this._$AH = d, this._$AN = void 0, this.element = t, this.name = s, this._$AM = i, this.options = n, r.length > 2 || r[0] !== "" || r[1] !== "" ? (this._$AH = Array(r.length - 1).fill(new String()), this.strings = r) : this._$AH = d;
  }
  _$AI(t, s = this, r, i) {
    const n = this.strings;
    let o = !1;
    if (n === void 0) t = U(this, t, s, 0), o = !j(t) || t !== this._$AH && t !== M, o && (this._$AH = t);
    else {
      const l = t;
      let a, u;
      for (t = n[0], a = 0; a < n.length - 1; a++) u = U(this, l[r + a], s, a), u === M && (u = this._$AH[a]), o ||= !j(u) || u !== this._$AH[a], u === d ? t = d : t !== d && (t += (u ?? "") + n[a + 1]), this._$AH[a] = u;
    }
    o && !i && this.j(t);
  }
  j(t) {
    t === d ? this.element.removeAttribute(this.name) : this.element.setAttribute(this.name, t ?? "");
  }
}
class le extends et {
  constructor() {
    super(...arguments), this.type = 3;
  }
  j(t) {
    this.element[this.name] = t === d ? void 0 : t;
  }
}
class ce extends et {
  constructor() {
    super(...arguments), this.type = 4;
  }
  j(t) {
    this.element.toggleAttribute(this.name, !!t && t !== d);
  }
}
class he extends et {
  constructor(t, s, r, i, n) {
    super(t, s, r, i, n), this.type = 5;
  }
  _$AI(t, s = this) {
    if ((t = U(this, t, s, 0) ?? d) === M) return;
    const r = this._$AH, i = t === d && r !== d || t.capture !== r.capture || t.once !== r.once || t.passive !== r.passive, n = t !== d && (r === d || i);
    i && this.element.removeEventListener(this.name, this, r), n && this.element.addEventListener(this.name, this, t), this._$AH = t;
  }
  handleEvent(t) {
    typeof this._$AH == "function" ? this._$AH.call(this.options?.host ?? this.element, t) : this._$AH.handleEvent(t);
  }
}
class de {
  constructor(t, s, r) {
    this.element = t, this.type = 6, this._$AN = void 0, this._$AM = s, this.options = r;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  _$AI(t) {
    U(this, t);
  }
}
const pe = { I: H }, ue = ct.litHtmlPolyfillSupport;
ue?.(z, H), (ct.litHtmlVersions ??= []).push("3.3.3");
const fe = (e, t, s) => {
  const r = s?.renderBefore ?? t;
  let i = r._$litPart$;
  if (i === void 0) {
    const n = s?.renderBefore ?? null;
    r._$litPart$ = i = new H(t.insertBefore(L(), n), n, void 0, s ?? {});
  }
  return i._$AI(e), i;
};
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const dt = globalThis;
let x = class extends O {
  constructor() {
    super(...arguments), this.renderOptions = { host: this }, this._$Do = void 0;
  }
  createRenderRoot() {
    const t = super.createRenderRoot();
    return this.renderOptions.renderBefore ??= t.firstChild, t;
  }
  update(t) {
    const s = this.render();
    this.hasUpdated || (this.renderOptions.isConnected = this.isConnected), super.update(t), this._$Do = fe(s, this.renderRoot, this.renderOptions);
  }
  connectedCallback() {
    super.connectedCallback(), this._$Do?.setConnected(!0);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), this._$Do?.setConnected(!1);
  }
  render() {
    return M;
  }
};
x._$litElement$ = !0, x.finalized = !0, dt.litElementHydrateSupport?.({ LitElement: x });
const ge = dt.litElementPolyfillSupport;
ge?.({ LitElement: x });
(dt.litElementVersions ??= []).push("4.2.2");
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const V = (e) => (t, s) => {
  s !== void 0 ? s.addInitializer(() => {
    customElements.define(e, t);
  }) : customElements.define(e, t);
};
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const me = { attribute: !0, type: String, converter: J, reflect: !1, hasChanged: lt }, $e = (e = me, t, s) => {
  const { kind: r, metadata: i } = s;
  let n = globalThis.litPropertyMetadata.get(i);
  if (n === void 0 && globalThis.litPropertyMetadata.set(i, n = /* @__PURE__ */ new Map()), r === "setter" && ((e = Object.create(e)).wrapped = !0), n.set(s.name, e), r === "accessor") {
    const { name: o } = s;
    return { set(l) {
      const a = t.get.call(this);
      t.set.call(this, l), this.requestUpdate(o, a, e, !0, l);
    }, init(l) {
      return l !== void 0 && this.C(o, void 0, e, l), l;
    } };
  }
  if (r === "setter") {
    const { name: o } = s;
    return function(l) {
      const a = this[o];
      t.call(this, l), this.requestUpdate(o, a, e, !0, l);
    };
  }
  throw Error("Unsupported decorator location: " + r);
};
function $(e) {
  return (t, s) => typeof s == "object" ? $e(e, t, s) : ((r, i, n) => {
    const o = i.hasOwnProperty(n);
    return i.constructor.createProperty(n, r), o ? Object.getOwnPropertyDescriptor(i, n) : void 0;
  })(e, t, s);
}
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
function b(e) {
  return $({ ...e, state: !0, attribute: !1 });
}
const F = {
  down: 0,
  unreachable: 1,
  pending: 2,
  unknown: 3,
  up: 4,
  paused: 5
}, Q = {
  down: "Down",
  unreachable: "Unreachable",
  pending: "Pending",
  unknown: "Not checked yet",
  up: "Up",
  paused: "Paused"
};
function jt(e) {
  return [...e].sort(
    (t, s) => F[t.status] - F[s.status] || t.name.localeCompare(s.name, void 0, { sensitivity: "base" }) || t.id.localeCompare(s.id)
  );
}
function be(e, t) {
  const s = [...e];
  if (t.show === "tags") {
    const r = new Set((t.tags ?? []).map((i) => i.toLowerCase()));
    return s.filter((i) => i.tags.some((n) => r.has(n.toLowerCase())));
  }
  if (t.show === "targets") {
    const r = new Set(t.targets ?? []);
    return s.filter((i) => r.has(i.id));
  }
  return s;
}
function ve(e, t) {
  const s = t.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return [...e].filter(
    (r) => (t.statuses.size === 0 || t.statuses.has(r.status)) && (!t.tag || r.tags.includes(t.tag)) && s.every(
      (i) => r.name.toLowerCase().includes(i) || r.kind.includes(i) || r.tags.some((n) => n.toLowerCase().includes(i))
    )
  );
}
function ye(e, t) {
  if ("targets" in t) {
    e.clear();
    for (const s of t.targets) e.set(s.id, s);
    return !0;
  }
  if ("changed" in t) {
    for (const s of t.changed) e.set(s.id, s);
    for (const s of t.removed) e.delete(s);
    return t.changed.length > 0 || t.removed.length > 0;
  }
  return !1;
}
function zt(e) {
  const t = /* @__PURE__ */ new Set();
  for (const s of e) for (const r of s.tags) t.add(r);
  return [...t].sort();
}
function Ft(e) {
  const t = Math.max(0, Math.round(e));
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min`;
  if (t < 86400) {
    const i = Math.floor(t / 3600), n = Math.floor(t % 3600 / 60);
    return n ? `${i} h ${n} min` : `${i} h`;
  }
  const s = Math.floor(t / 86400), r = Math.floor(t % 86400 / 3600);
  return r ? `${s} d ${r} h` : `${s} d`;
}
function qt(e, t) {
  return e ? `${Ft((t - Date.parse(e)) / 1e3)} ago` : null;
}
function W(e) {
  return e === null ? "–" : e >= 99.995 ? "100%" : `${e >= 99 ? e.toFixed(2) : e.toFixed(1)}%`;
}
function Vt(e) {
  return e === null ? "–" : e >= 1e3 ? `${(e / 1e3).toFixed(2)} s` : `${Math.round(e)} ms`;
}
function Wt(e, t) {
  return new Date(e).toLocaleString(t, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit"
  });
}
function we(e, t) {
  return (e - t[0]) * 1e3;
}
function _e(e, t, s, r) {
  const i = new Date(e).toLocaleString(r, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit"
  }), [, n, o] = t, l = [i, n ? "passed" : "failed"];
  return o !== null && l.push(Vt(o)), !n && s && l.push(s), l.join(" · ");
}
function xe(e, t, s) {
  const r = e.map((a) => a[2]).filter((a) => a !== null);
  if (r.length < 2) return "";
  const i = Math.max(...r), n = Math.min(...r), o = i - n || 1, l = t / (r.length - 1);
  return r.map((a, u) => {
    const g = (u * l).toFixed(1), c = (s - 1 - (a - n) / o * (s - 2)).toFixed(1);
    return `${g},${c}`;
  }).join(" ");
}
function Ae(e, t, s) {
  const r = [];
  if (e.status === "unreachable" && e.depends_on ? r.push(`Unreachable because ${e.depends_on} is down`) : e.error && e.status !== "paused" && r.push(e.error), e.acknowledged) {
    const i = e.acknowledged.note ? `: ${e.acknowledged.note}` : "";
    r.push(`Acknowledged by ${e.acknowledged.by}${i}`);
  }
  return e.silenced_until && r.push(`Silenced until ${Wt(e.silenced_until, s)}`), e.kind === "heartbeat" && r.push(
    e.last_ping ? `Last ping ${qt(e.last_ping, t)}` : "No ping received yet"
  ), r;
}
function Se(e, t) {
  const s = new Date(e).getTime();
  return Number.isNaN(s) || s <= t ? null : new Date(s).toISOString();
}
const Et = 2e3;
class pt {
  constructor(t, s) {
    this.host = t, this.onChange = s, this.targets = /* @__PURE__ */ new Map(), this.loaded = !1, this.error = "", this.connected = !1, t.addController(this);
  }
  setHass(t) {
    const s = t?.connection !== this.hass?.connection;
    this.hass = t, s && this.connected && this.subscribe();
  }
  hostConnected() {
    this.connected = !0, this.subscribe();
  }
  hostDisconnected() {
    this.connected = !1, this.stop();
  }
  stop() {
    clearTimeout(this.retry);
    const t = this.unsubscribe;
    this.unsubscribe = void 0, t?.then((s) => s()).catch(() => {
    });
  }
  subscribe() {
    this.stop(), this.hass && (this.unsubscribe = this.hass.connection.subscribeMessage(
      (t) => this.receive(t),
      { type: "pialert/targets/subscribe" }
    ), this.unsubscribe.catch((t) => {
      this.error = t.message ?? "PiAlert is not available.", this.loaded = !0, this.unsubscribe = void 0, this.host.requestUpdate(), this.retry = setTimeout(() => this.connected && this.subscribe(), Et * 5);
    }));
  }
  receive(t) {
    if ("reload" in t) {
      this.retry = setTimeout(() => this.connected && this.subscribe(), Et);
      return;
    }
    this.error = "", this.loaded = !0, ye(this.targets, t) && (this.onChange?.(), this.host.requestUpdate());
  }
}
const ut = q`
  :host {
    --pa-down: var(--error-color, #db4437);
    --pa-unreachable: var(--purple-color, #926bc7);
    --pa-pending: var(--warning-color, #ffa600);
    --pa-unknown: var(--secondary-text-color, #727272);
    --pa-up: var(--success-color, #43a047);
    --pa-paused: var(--disabled-text-color, #bdbdbd);
    --pa-gap: 8px;
    color: var(--primary-text-color);
  }
  button {
    font: inherit;
    font-size: 0.875em;
    color: var(--primary-color);
    background: transparent;
    border: 1px solid var(--divider-color, #ccc);
    border-radius: 16px;
    padding: 4px 12px;
    min-height: 32px;
    cursor: pointer;
  }
  button:hover {
    background: var(--secondary-background-color, rgba(127, 127, 127, 0.12));
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  button.primary {
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
    border-color: var(--primary-color);
  }
  input,
  textarea,
  select {
    font: inherit;
    color: var(--primary-text-color);
    background: var(--card-background-color, var(--primary-background-color));
    border: 1px solid var(--divider-color, #ccc);
    border-radius: 4px;
    padding: 6px 8px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const ke = { CHILD: 2 }, Ee = (e) => (...t) => ({ _$litDirective$: e, values: t });
let Ce = class {
  constructor(t) {
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  _$AT(t, s, r) {
    this._$Ct = t, this._$AM = s, this._$Ci = r;
  }
  _$AS(t, s) {
    return this.update(t, s);
  }
  update(t, s) {
    return this.render(...s);
  }
};
/**
 * @license
 * Copyright 2020 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const { I: Pe } = pe, Ct = (e) => e, Pt = () => document.createComment(""), B = (e, t, s) => {
  const r = e._$AA.parentNode, i = t === void 0 ? e._$AB : t._$AA;
  if (s === void 0) {
    const n = r.insertBefore(Pt(), i), o = r.insertBefore(Pt(), i);
    s = new Pe(n, o, e, e.options);
  } else {
    const n = s._$AB.nextSibling, o = s._$AM, l = o !== e;
    if (l) {
      let a;
      s._$AQ?.(e), s._$AM = e, s._$AP !== void 0 && (a = e._$AU) !== o._$AU && s._$AP(a);
    }
    if (n !== i || l) {
      let a = s._$AA;
      for (; a !== n; ) {
        const u = Ct(a).nextSibling;
        Ct(r).insertBefore(a, i), a = u;
      }
    }
  }
  return s;
}, C = (e, t, s = e) => (e._$AI(t, s), e), Te = {}, Me = (e, t = Te) => e._$AH = t, Oe = (e) => e._$AH, ot = (e) => {
  e._$AR(), e._$AA.remove();
};
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const Tt = (e, t, s) => {
  const r = /* @__PURE__ */ new Map();
  for (let i = t; i <= s; i++) r.set(e[i], i);
  return r;
}, Ue = Ee(class extends Ce {
  constructor(e) {
    if (super(e), e.type !== ke.CHILD) throw Error("repeat() can only be used in text expressions");
  }
  dt(e, t, s) {
    let r;
    s === void 0 ? s = t : t !== void 0 && (r = t);
    const i = [], n = [];
    let o = 0;
    for (const l of e) i[o] = r ? r(l, o) : o, n[o] = s(l, o), o++;
    return { values: n, keys: i };
  }
  render(e, t, s) {
    return this.dt(e, t, s).values;
  }
  update(e, [t, s, r]) {
    const i = Oe(e), { values: n, keys: o } = this.dt(t, s, r);
    if (!Array.isArray(i)) return this.ut = o, n;
    const l = this.ut ??= [], a = [];
    let u, g, c = 0, f = i.length - 1, p = 0, m = n.length - 1;
    for (; c <= f && p <= m; ) if (i[c] === null) c++;
    else if (i[f] === null) f--;
    else if (l[c] === o[p]) a[p] = C(i[c], n[p]), c++, p++;
    else if (l[f] === o[m]) a[m] = C(i[f], n[m]), f--, m--;
    else if (l[c] === o[m]) a[m] = C(i[c], n[m]), B(e, a[m + 1], i[c]), c++, m--;
    else if (l[f] === o[p]) a[p] = C(i[f], n[p]), B(e, i[c], i[f]), f--, p++;
    else if (u === void 0 && (u = Tt(o, p, m), g = Tt(l, c, f)), u.has(l[c])) if (u.has(l[f])) {
      const _ = g.get(o[p]), rt = _ !== void 0 ? i[_] : null;
      if (rt === null) {
        const gt = B(e, i[c]);
        C(gt, n[p]), a[p] = gt;
      } else a[p] = C(rt, n[p]), B(e, i[c], rt), i[_] = null;
      p++;
    } else ot(i[f]), f--;
    else ot(i[c]), c++;
    for (; p <= m; ) {
      const _ = B(e, a[m + 1]);
      C(_, n[p]), a[p++] = _;
    }
    for (; c <= f; ) {
      const _ = i[c++];
      _ !== null && ot(_);
    }
    return this.ut = o, Me(e, a), M;
  }
});
var De = Object.defineProperty, He = Object.getOwnPropertyDescriptor, w = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? He(t, s) : t, n = e.length - 1, o; n >= 0; n--)
    (o = e[n]) && (i = (r ? o(t, s, i) : o(i)) || i);
  return r && i && De(t, s, i), i;
};
const K = 6, G = 2, Mt = 96, Ot = 24;
function Ne(e) {
  history.pushState(null, "", e), window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: !1 } }));
}
let v = class extends x {
  constructor() {
    super(...arguments), this.mode = "compact", this.now = Date.now(), this.form = "none", this.busy = !1, this.error = "", this.pickedBar = -1, this.errors = /* @__PURE__ */ new Map(), this.errorsFor = null;
  }
  render() {
    const e = this.target, t = this.mode === "detailed", s = qt(e.since, this.now), r = this.hass?.locale?.language;
    return h`
      <div class="row status-${e.status}" role="listitem" aria-label="${e.name}: ${Q[e.status]}">
        <span class="dot" aria-hidden="true"></span>
        <div class="main">
          <div class="head">
            <span class="name">${e.name}</span>
            <span class="status">${Q[e.status]}${s ? h`<span class="since"> · for ${s.replace(/ ago$/, "")}</span>` : d}</span>
          </div>
          ${Ae(e, this.now, r).map((i) => h`<div class="why">${i}</div>`)}
          <div class="foot">
          ${t ? this.renderDetails() : d}
          <div class="actions" role="group" aria-label="Actions for ${e.name}">
            ${e.status === "down" && !e.acknowledged ? h`<button @click=${() => this.toggle("acknowledge")} aria-expanded=${this.form === "acknowledge"}>Acknowledge</button>` : d}
            ${e.silenced_until ? h`<button @click=${this.unsilence} ?disabled=${this.busy}>Unsilence</button>` : h`<button @click=${() => this.toggle("silence")} aria-expanded=${this.form === "silence"}>Silence</button>`}
            ${e.device_id && this.hass?.user?.is_admin ? h`<button @click=${() => Ne(`/config/devices/device/${e.device_id}`)}>Device</button>` : d}
          </div>
          </div>
          ${t ? h`<div class="bar-detail" aria-live="polite">${this.pickedBar >= 0 && this.pickedBar < e.checks.length ? this.describeBar(this.pickedBar, r) : ""}</div>` : d}
          ${this.renderForm()}
          ${this.error ? h`<div class="error" role="alert">${this.error}</div>` : d}
        </div>
        <div class="figures">
          <span title="Uptime, last 24 hours">${W(e.uptime["24h"])}</span>
          ${e.response_time_ms !== null ? h`<span class="ms">${Vt(e.response_time_ms)}</span>` : d}
        </div>
      </div>
    `;
  }
  renderDetails() {
    const e = this.target, t = e.checks, s = Math.max(1, t.length * (K + G) - G), r = xe(t, Mt, Ot), i = t.filter((o) => !o[1]).length, n = t.length ? `Last ${t.length} checks, ${i} failed; use the arrow keys to read each` : "Not checked yet";
    return h`
      <div class="details">
        <div
          class="bars"
          tabindex=${t.length ? 0 : -1}
          role="img"
          aria-label=${n}
          @keydown=${this.barKey}
          @pointermove=${this.barPointer}
          @click=${this.barPointer}
          @focus=${this.loadErrors}
          @pointerenter=${this.loadErrors}
          @blur=${() => this.pickedBar = -1}
          @pointerleave=${() => this.pickedBar = -1}
        >
          <svg width=${s} height="20" viewBox="0 0 ${s} 20" aria-hidden="true">
            ${t.map(
      (o, l) => oe`<rect class="${o[1] ? "ok" : "failed"}${l === this.pickedBar ? " picked" : ""}" x=${l * (K + G)} y="0" width=${K} height="20" rx="1.5"></rect>`
    )}
          </svg>
        </div>
        ${r ? h`<svg class="spark" width=${Mt} height=${Ot} aria-hidden="true"><polyline points=${r} fill="none" stroke="var(--primary-color)" stroke-width="1.5"></polyline></svg>` : d}
        <div class="uptimes" aria-label="Uptime">
          <span>24 h ${W(e.uptime["24h"])}</span>
          <span>7 d ${W(e.uptime["7d"])}</span>
          <span>30 d ${W(e.uptime["30d"])}</span>
        </div>
      </div>
    `;
  }
  describeBar(e, t) {
    const s = this.target.checks[e], r = we(this.target.checks_at ?? 0, s);
    return _e(r, s, this.errors.get(r / 1e3), t);
  }
  async loadErrors() {
    const e = this.target;
    if (!(!this.hass || e.checks_at === null || this.errorsFor === e.checks_at) && e.checks.some((t) => !t[1])) {
      this.errorsFor = e.checks_at;
      try {
        const t = await this.hass.callWS({
          type: "pialert/targets/checks",
          target_id: e.id,
          days: 1
        });
        this.errors = new Map(
          t.checks.filter((s) => s.error).map((s) => [Math.round(Date.parse(s.checked_at) / 1e3), s.error])
        );
      } catch {
        this.errorsFor = null;
      }
    }
  }
  renderForm() {
    return this.form === "acknowledge" ? h`<form class="form" @submit=${this.acknowledge}>
        <label>Note (optional) <input name="note" maxlength="500" autocomplete="off" /></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>Acknowledge</button>
        <button type="button" @click=${() => this.toggle("none")}>Cancel</button>
      </form>` : this.form === "silence" ? h`<form class="form" @submit=${this.silenceUntil}>
        <button class="primary" type="button" @click=${this.silenceHour} ?disabled=${this.busy}>For 1 hour</button>
        <label>Until <input name="until" type="datetime-local" required /></label>
        <button type="submit" ?disabled=${this.busy}>Silence until</button>
        <button type="button" @click=${() => this.toggle("none")}>Cancel</button>
      </form>` : d;
  }
  toggle(e) {
    this.form = this.form === e ? "none" : e, this.error = "", this.form !== "none" && this.updateComplete.then(
      () => this.renderRoot.querySelector(".form input, .form button")?.focus()
    );
  }
  async call(e) {
    if (this.hass) {
      this.busy = !0, this.error = "";
      try {
        await this.hass.callWS({ ...e, target_id: this.target.id }), this.form = "none";
      } catch (t) {
        this.error = t.message ?? String(t);
      } finally {
        this.busy = !1;
      }
    }
  }
  acknowledge(e) {
    e.preventDefault();
    const t = new FormData(e.target).get("note");
    this.call({ type: "pialert/acknowledge", ...t ? { note: t } : {} });
  }
  silenceHour() {
    this.call({ type: "pialert/silence", duration: 3600, comment: "Silenced from the card" });
  }
  silenceUntil(e) {
    e.preventDefault();
    const t = String(new FormData(e.target).get("until") ?? ""), s = Se(t, Date.now());
    if (!s) {
      this.error = "Choose a time in the future.";
      return;
    }
    this.call({ type: "pialert/silence", ends_at: s, comment: "Silenced from the card" });
  }
  unsilence() {
    this.call({ type: "pialert/unsilence" });
  }
  barKey(e) {
    const t = this.target.checks.length;
    if (t)
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const s = e.key === "ArrowRight" ? 1 : -1, r = this.pickedBar < 0 ? s > 0 ? -1 : t : this.pickedBar;
        this.pickedBar = Math.min(t - 1, Math.max(0, r + s));
      } else e.key === "Escape" && (this.pickedBar = -1);
  }
  barPointer(e) {
    const t = e.currentTarget.getBoundingClientRect(), s = Math.floor((e.clientX - t.left) / (K + G));
    this.pickedBar = s >= 0 && s < this.target.checks.length ? s : -1;
  }
};
v.styles = [
  ut,
  q`
      :host {
        display: block;
        content-visibility: auto;
        contain-intrinsic-size: auto 64px;
      }
      .row {
        display: grid;
        grid-template-columns: 12px 1fr auto;
        gap: var(--pa-gap);
        padding: 10px 0;
        border-bottom: 1px solid var(--divider-color, rgba(127, 127, 127, 0.2));
      }
      .dot {
        width: 12px;
        height: 12px;
        border-radius: 50%;
        margin-top: 4px;
        background: var(--pa-color);
      }
      .status-down { --pa-color: var(--pa-down); }
      .status-unreachable { --pa-color: var(--pa-unreachable); }
      .status-pending { --pa-color: var(--pa-pending); }
      .status-unknown { --pa-color: var(--pa-unknown); }
      .status-up { --pa-color: var(--pa-up); }
      .status-paused { --pa-color: var(--pa-paused); }
      .main { min-width: 0; }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--pa-gap);
        align-items: baseline;
      }
      .name { font-weight: 500; overflow-wrap: anywhere; }
      .status { color: var(--pa-color); font-size: 0.9em; font-weight: 500; }
      .since { color: var(--secondary-text-color); font-weight: 400; }
      .why {
        color: var(--secondary-text-color);
        font-size: 0.875em;
        overflow-wrap: anywhere;
      }
      .figures {
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        font-variant-numeric: tabular-nums;
        font-size: 0.9em;
      }
      .ms { color: var(--secondary-text-color); }
      .details {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 12px;
      }
      .bars { line-height: 0; border-radius: 2px; max-width: 100%; overflow: hidden; }
      rect.ok { fill: var(--pa-up); }
      rect.failed { fill: var(--pa-down); }
      rect.picked { stroke: var(--primary-text-color); stroke-width: 1.5; }
      .uptimes {
        display: flex;
        gap: 10px;
        font-size: 0.8em;
        color: var(--secondary-text-color);
        font-variant-numeric: tabular-nums;
      }
      .bar-detail { font-size: 0.8em; color: var(--secondary-text-color); overflow-wrap: anywhere; }
      .foot {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 6px 16px;
        margin-top: 4px;
      }
      .actions { display: flex; flex-wrap: wrap; gap: 6px; }
      .form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        margin-top: 6px;
      }
      .form label { display: flex; gap: 6px; align-items: center; font-size: 0.875em; }
      .error { color: var(--error-color); font-size: 0.875em; margin-top: 4px; }
      @media (max-width: 450px) {
        .row { grid-template-columns: 10px 1fr; }
        .figures { grid-column: 2; flex-direction: row; gap: 10px; align-items: baseline; }
      }
    `
];
w([
  $({ attribute: !1 })
], v.prototype, "hass", 2);
w([
  $({ attribute: !1 })
], v.prototype, "target", 2);
w([
  $()
], v.prototype, "mode", 2);
w([
  $({ type: Number })
], v.prototype, "now", 2);
w([
  b()
], v.prototype, "form", 2);
w([
  b()
], v.prototype, "busy", 2);
w([
  b()
], v.prototype, "error", 2);
w([
  b()
], v.prototype, "pickedBar", 2);
w([
  b()
], v.prototype, "errors", 2);
v = w([
  V("pialert-target-row")
], v);
var Re = Object.defineProperty, Be = Object.getOwnPropertyDescriptor, N = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? Be(t, s) : t, n = e.length - 1, o; n >= 0; n--)
    (o = e[n]) && (i = (r ? o(t, s, i) : o(i)) || i);
  return r && i && Re(t, s, i), i;
};
let k = class extends x {
  constructor() {
    super(...arguments), this.targets = [], this.mode = "compact", this.now = Date.now(), this.label = "Targets";
  }
  render() {
    return h`<div role="list" aria-label=${this.label}>
      ${Ue(
      this.targets,
      (e) => e.id,
      (e) => h`<pialert-target-row
          .hass=${this.hass}
          .target=${e}
          .mode=${this.mode}
          .now=${this.now}
        ></pialert-target-row>`
    )}
    </div>`;
  }
};
k.styles = q`
    :host {
      display: block;
    }
  `;
N([
  $({ attribute: !1 })
], k.prototype, "hass", 2);
N([
  $({ attribute: !1 })
], k.prototype, "targets", 2);
N([
  $()
], k.prototype, "mode", 2);
N([
  $({ type: Number })
], k.prototype, "now", 2);
N([
  $()
], k.prototype, "label", 2);
k = N([
  V("pialert-target-list")
], k);
var Ie = Object.defineProperty, Le = Object.getOwnPropertyDescriptor, st = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? Le(t, s) : t, n = e.length - 1, o; n >= 0; n--)
    (o = e[n]) && (i = (r ? o(t, s, i) : o(i)) || i);
  return r && i && Ie(t, s, i), i;
};
const Ut = ["all", "tags", "targets"], Dt = ["compact", "detailed"], je = 3e4;
let D = class extends x {
  constructor() {
    super(...arguments), this.config = { type: "custom:pialert-card" }, this.now = Date.now(), this.feed = new pt(this);
  }
  set hass(e) {
    this.hassValue = e, this.feed.setHass(e);
  }
  get hass() {
    return this.hassValue;
  }
  setConfig(e) {
    if (e.show && !Ut.includes(e.show))
      throw new Error(`show must be one of ${Ut.join(", ")}`);
    if (e.mode && !Dt.includes(e.mode))
      throw new Error(`mode must be one of ${Dt.join(", ")}`);
    this.config = { show: "all", mode: "compact", ...e };
  }
  getCardSize() {
    return 1 + Math.min(this.feed.targets.size, 8);
  }
  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }
  static getConfigElement() {
    return document.createElement("pialert-card-editor");
  }
  static getStubConfig() {
    return { show: "all", mode: "compact" };
  }
  connectedCallback() {
    super.connectedCallback(), this.clock = setInterval(() => this.now = Date.now(), je);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), clearInterval(this.clock);
  }
  render() {
    const e = this.config.title ?? "PiAlert", t = jt(be(this.feed.targets.values(), this.config)), s = /* @__PURE__ */ new Map();
    for (const i of t) s.set(i.status, (s.get(i.status) ?? 0) + 1);
    const r = [...s.entries()].sort((i, n) => F[i[0]] - F[n[0]]).map(([i, n]) => `${n} ${Q[i].toLowerCase()}`).join(" · ");
    return h`<ha-card>
      <div class="header">
        <h2>${e}</h2>
        <span class="summary" role="status">${r}</span>
      </div>
      <div class="content">
        ${this.feed.error ? h`<p class="empty" role="alert">${this.feed.error}</p>` : this.feed.loaded ? t.length === 0 ? h`<p class="empty">No targets to show. Add targets in Settings → Devices &amp; services → PiAlert.</p>` : d : h`<p class="empty">Loading…</p>`}
        <pialert-target-list
          .hass=${this.hass}
          .targets=${t}
          .mode=${this.config.mode ?? "compact"}
          .now=${this.now}
          label=${e}
        ></pialert-target-list>
      </div>
    </ha-card>`;
  }
};
D.styles = [
  ut,
  q`
      ha-card {
        display: block;
        overflow: hidden;
      }
      .header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 4px 12px;
        padding: 16px 16px 4px;
      }
      h2 {
        margin: 0;
        font-size: var(--ha-card-header-font-size, 24px);
        font-weight: 400;
        line-height: 1.3;
      }
      .summary {
        color: var(--secondary-text-color);
        font-size: 0.9em;
      }
      .content {
        padding: 0 16px 8px;
      }
      .empty {
        color: var(--secondary-text-color);
      }
    `
];
st([
  b()
], D.prototype, "config", 2);
st([
  b()
], D.prototype, "now", 2);
st([
  $({ attribute: !1 })
], D.prototype, "hass", 1);
D = st([
  V("pialert-card")
], D);
const ze = {
  title: "Title",
  show: "Targets to show",
  tags: "Tags",
  targets: "Targets",
  mode: "Layout"
};
function Fe(e, t, s) {
  const r = [
    { name: "title", selector: { text: {} } },
    {
      name: "show",
      selector: {
        select: {
          mode: "list",
          options: [
            { value: "all", label: "All targets" },
            { value: "tags", label: "Targets with one of these tags" },
            { value: "targets", label: "Only the targets picked here" }
          ]
        }
      }
    }
  ];
  return e.show === "tags" && r.push({
    name: "tags",
    selector: { select: { multiple: !0, custom_value: !0, options: t } }
  }), e.show === "targets" && r.push({ name: "targets", selector: { select: { multiple: !0, options: s } } }), r.push({
    name: "mode",
    selector: {
      select: {
        mode: "list",
        options: [
          { value: "compact", label: "Compact: status and why" },
          { value: "detailed", label: "Detailed: also history bars, response times, uptime" }
        ]
      }
    }
  }), r;
}
var qe = Object.defineProperty, Ve = Object.getOwnPropertyDescriptor, ft = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? Ve(t, s) : t, n = e.length - 1, o; n >= 0; n--)
    (o = e[n]) && (i = (r ? o(t, s, i) : o(i)) || i);
  return r && i && qe(t, s, i), i;
};
let Y = class extends x {
  constructor() {
    super(...arguments), this.config = { type: "custom:pialert-card" }, this.feed = new pt(this);
  }
  set hass(e) {
    this.hassValue = e, this.feed.setHass(e), this.requestUpdate();
  }
  get hass() {
    return this.hassValue;
  }
  setConfig(e) {
    this.config = { show: "all", mode: "compact", ...e };
  }
  render() {
    const e = [...this.feed.targets.values()].sort((t, s) => t.name.localeCompare(s.name)).map((t) => ({ value: t.id, label: t.name }));
    return h`<ha-form
      .hass=${this.hass}
      .data=${this.config}
      .schema=${Fe(this.config, zt(this.feed.targets.values()), e)}
      .computeLabel=${(t) => ze[t.name] ?? t.name}
      @value-changed=${this.changed}
    ></ha-form>`;
  }
  changed(e) {
    e.stopPropagation();
    const t = { ...e.detail.value };
    t.show !== "tags" && delete t.tags, t.show !== "targets" && delete t.targets, t.title || delete t.title, this.config = t, this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config: t }, bubbles: !0, composed: !0 })
    );
  }
};
ft([
  b()
], Y.prototype, "config", 2);
ft([
  $({ attribute: !1 })
], Y.prototype, "hass", 1);
Y = ft([
  V("pialert-card-editor")
], Y);
var We = Object.defineProperty, Ke = Object.getOwnPropertyDescriptor, A = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? Ke(t, s) : t, n = e.length - 1, o; n >= 0; n--)
    (o = e[n]) && (i = (r ? o(t, s, i) : o(i)) || i);
  return r && i && We(t, s, i), i;
};
const Ge = 1e3, Ze = 3e4;
let y = class extends x {
  constructor() {
    super(...arguments), this.narrow = !1, this.search = "", this.statuses = /* @__PURE__ */ new Set(), this.tag = "", this.mode = "detailed", this.incidents = [], this.now = Date.now(), this.feed = new pt(this, () => this.scheduleIncidents());
  }
  set hass(e) {
    const t = !this.hassValue && e;
    this.hassValue = e, this.feed.setHass(e), t && this.scheduleIncidents();
  }
  get hass() {
    return this.hassValue;
  }
  connectedCallback() {
    super.connectedCallback(), this.clock = setInterval(() => this.now = Date.now(), Ze);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), clearInterval(this.clock), clearTimeout(this.incidentTimer);
  }
  scheduleIncidents() {
    clearTimeout(this.incidentTimer), this.incidentTimer = setTimeout(() => this.loadIncidents(), Ge);
  }
  async loadIncidents() {
    if (this.hass)
      try {
        const e = await this.hass.callWS({
          type: "pialert/incidents",
          limit: 50
        });
        this.incidents = e.incidents;
      } catch {
        this.incidents = [];
      }
  }
  render() {
    const e = [...this.feed.targets.values()], t = jt(
      ve(e, { search: this.search, statuses: this.statuses, tag: this.tag })
    ), s = /* @__PURE__ */ new Map();
    for (const o of e) s.set(o.status, (s.get(o.status) ?? 0) + 1);
    const r = Object.keys(F).filter((o) => s.get(o)), i = this.incidents.filter((o) => o.ended_at === null), n = this.incidents.filter((o) => o.ended_at !== null).slice(0, 20);
    return h`
      <div class="toolbar">
        <ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>
        <h1>PiAlert</h1>
      </div>
      <main>
        <section class="targets" aria-labelledby="targets-title">
          <h2 id="targets-title">Targets <span class="count">${t.length} of ${e.length}</span></h2>
          <div class="filters">
            <label class="search">
              <span class="visually-hidden">Search targets</span>
              <input
                type="search"
                placeholder="Search by name, kind or tag"
                .value=${this.search}
                @input=${(o) => this.search = o.target.value}
              />
            </label>
            <div class="chips" role="group" aria-label="Filter by status">
              ${r.map(
      (o) => h`<button
                  class="chip status-${o}"
                  aria-pressed=${this.statuses.has(o)}
                  @click=${() => this.toggleStatus(o)}
                >${Q[o]} ${s.get(o)}</button>`
    )}
            </div>
            <label>
              Tag
              <select @change=${(o) => this.tag = o.target.value}>
                <option value="" ?selected=${!this.tag}>Any</option>
                ${zt(e).map((o) => h`<option ?selected=${o === this.tag}>${o}</option>`)}
              </select>
            </label>
            <button
              aria-pressed=${this.mode === "detailed"}
              @click=${() => this.mode = this.mode === "detailed" ? "compact" : "detailed"}
            >Details</button>
          </div>
          ${this.feed.error ? h`<p role="alert">${this.feed.error}</p>` : d}
          <pialert-target-list
            .hass=${this.hass}
            .targets=${t}
            .mode=${this.mode}
            .now=${this.now}
            label="Targets"
          ></pialert-target-list>
        </section>
        <section class="incidents" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Open incidents</h2>
          ${i.length ? this.renderIncidents(i) : h`<p class="quiet">None: everything that is watched is fine.</p>`}
          <h2>Recent incidents</h2>
          ${n.length ? this.renderIncidents(n) : h`<p class="quiet">No incidents yet.</p>`}
        </section>
      </main>
    `;
  }
  renderIncidents(e) {
    const t = this.hass?.locale?.language;
    return h`<ul>
      ${e.map((s) => {
      const r = s.duration_seconds ?? (this.now - Date.parse(s.started_at)) / 1e3;
      return h`<li class=${s.ended_at ? "closed" : "open"}>
          <div class="incident-head">
            <strong>${s.target_name}</strong>
            <span>${Wt(s.started_at, t)} · ${s.ended_at ? "lasted" : "for"} ${Ft(r)}</span>
          </div>
          <div class="quiet">${s.last_error ?? s.first_error ?? ""}</div>
          ${s.acknowledged_by ? h`<div class="quiet">Acknowledged by ${s.acknowledged_by}${s.acknowledgement_note ? `: ${s.acknowledgement_note}` : ""}</div>` : d}
        </li>`;
    })}
    </ul>`;
  }
  toggleStatus(e) {
    const t = new Set(this.statuses);
    t.delete(e) || t.add(e), this.statuses = t;
  }
};
y.styles = [
  ut,
  q`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--primary-background-color);
      }
      .toolbar {
        display: flex;
        align-items: center;
        gap: 8px;
        height: var(--header-height, 56px);
        padding: 0 12px;
        background: var(--app-header-background-color, var(--primary-color));
        color: var(--app-header-text-color, #fff);
        border-bottom: var(--app-header-border-bottom, none);
      }
      h1 {
        margin: 0;
        font-size: 20px;
        font-weight: 400;
      }
      main {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr);
        gap: 16px;
        padding: 16px;
        max-width: 1600px;
        margin: 0 auto;
      }
      section {
        background: var(--card-background-color);
        border-radius: var(--ha-card-border-radius, 12px);
        border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color));
        padding: 12px 16px;
        min-width: 0;
      }
      h2 {
        font-size: 18px;
        font-weight: 500;
        margin: 8px 0;
      }
      .count {
        color: var(--secondary-text-color);
        font-weight: 400;
        font-size: 0.85em;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 8px;
      }
      .search input {
        min-width: 220px;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      button[aria-pressed="true"] {
        background: var(--primary-color);
        color: var(--text-primary-color, #fff);
      }
      .chip.status-down { border-color: var(--pa-down); }
      .chip.status-unreachable { border-color: var(--pa-unreachable); }
      .chip.status-pending { border-color: var(--pa-pending); }
      .chip.status-up { border-color: var(--pa-up); }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 8px 0 8px 10px;
        border-left: 3px solid var(--pa-up);
        margin-bottom: 8px;
      }
      li.open {
        border-left-color: var(--pa-down);
      }
      .incident-head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 8px;
      }
      .quiet {
        color: var(--secondary-text-color);
        font-size: 0.875em;
      }
      @media (max-width: 870px) {
        main {
          grid-template-columns: 1fr;
          padding: 8px;
        }
        .search input {
          min-width: 0;
          width: 100%;
        }
        .search {
          flex-basis: 100%;
        }
      }
    `
];
A([
  $({ type: Boolean })
], y.prototype, "narrow", 2);
A([
  b()
], y.prototype, "search", 2);
A([
  b()
], y.prototype, "statuses", 2);
A([
  b()
], y.prototype, "tag", 2);
A([
  b()
], y.prototype, "mode", 2);
A([
  b()
], y.prototype, "incidents", 2);
A([
  b()
], y.prototype, "now", 2);
A([
  $({ attribute: !1 })
], y.prototype, "hass", 1);
y = A([
  V("pialert-panel")
], y);
window.customCards = window.customCards ?? [];
window.customCards.some((e) => e.type === "pialert-card") || window.customCards.push({
  type: "pialert-card",
  name: "PiAlert",
  description: "Your PiAlert targets, what needs attention first: status, history bars, uptime, acknowledge and silence.",
  preview: !0,
  documentationURL: "https://github.com/pialert/pialert-homeassistant#dashboard-card-and-panel"
});
