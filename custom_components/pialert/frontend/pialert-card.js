/**
 * @license
 * Copyright 2019 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const Z = globalThis, lt = Z.ShadowRoot && (Z.ShadyCSS === void 0 || Z.ShadyCSS.nativeShadow) && "adoptedStyleSheets" in Document.prototype && "replace" in CSSStyleSheet.prototype, ct = Symbol(), bt = /* @__PURE__ */ new WeakMap();
let Lt = class {
  constructor(t, s, r) {
    if (this._$cssResult$ = !0, r !== ct) throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");
    this.cssText = t, this.t = s;
  }
  get styleSheet() {
    let t = this.o;
    const s = this.t;
    if (lt && t === void 0) {
      const r = s !== void 0 && s.length === 1;
      r && (t = bt.get(s)), t === void 0 && ((this.o = t = new CSSStyleSheet()).replaceSync(this.cssText), r && bt.set(s, t));
    }
    return t;
  }
  toString() {
    return this.cssText;
  }
};
const ee = (e) => new Lt(typeof e == "string" ? e : e + "", void 0, ct), V = (e, ...t) => {
  const s = e.length === 1 ? e[0] : t.reduce((r, i, o) => r + ((n) => {
    if (n._$cssResult$ === !0) return n.cssText;
    if (typeof n == "number") return n;
    throw Error("Value passed to 'css' function must be a 'css' function result: " + n + ". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.");
  })(i) + e[o + 1], e[0]);
  return new Lt(s, e, ct);
}, se = (e, t) => {
  if (lt) e.adoptedStyleSheets = t.map((s) => s instanceof CSSStyleSheet ? s : s.styleSheet);
  else for (const s of t) {
    const r = document.createElement("style"), i = Z.litNonce;
    i !== void 0 && r.setAttribute("nonce", i), r.textContent = s.cssText, e.appendChild(r);
  }
}, vt = lt ? (e) => e : (e) => e instanceof CSSStyleSheet ? ((t) => {
  let s = "";
  for (const r of t.cssRules) s += r.cssText;
  return ee(s);
})(e) : e;
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const { is: re, defineProperty: ie, getOwnPropertyDescriptor: oe, getOwnPropertyNames: ne, getOwnPropertySymbols: ae, getPrototypeOf: le } = Object, et = globalThis, yt = et.trustedTypes, ce = yt ? yt.emptyScript : "", he = et.reactiveElementPolyfillSupport, j = (e, t) => e, J = { toAttribute(e, t) {
  switch (t) {
    case Boolean:
      e = e ? ce : null;
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
} }, ht = (e, t) => !re(e, t), wt = { attribute: !0, type: String, converter: J, reflect: !1, useDefault: !1, hasChanged: ht };
Symbol.metadata ??= Symbol("metadata"), et.litPropertyMetadata ??= /* @__PURE__ */ new WeakMap();
let D = class extends HTMLElement {
  static addInitializer(t) {
    this._$Ei(), (this.l ??= []).push(t);
  }
  static get observedAttributes() {
    return this.finalize(), this._$Eh && [...this._$Eh.keys()];
  }
  static createProperty(t, s = wt) {
    if (s.state && (s.attribute = !1), this._$Ei(), this.prototype.hasOwnProperty(t) && ((s = Object.create(s)).wrapped = !0), this.elementProperties.set(t, s), !s.noAccessor) {
      const r = Symbol(), i = this.getPropertyDescriptor(t, r, s);
      i !== void 0 && ie(this.prototype, t, i);
    }
  }
  static getPropertyDescriptor(t, s, r) {
    const { get: i, set: o } = oe(this.prototype, t) ?? { get() {
      return this[s];
    }, set(n) {
      this[s] = n;
    } };
    return { get: i, set(n) {
      const a = i?.call(this);
      o?.call(this, n), this.requestUpdate(t, a, r);
    }, configurable: !0, enumerable: !0 };
  }
  static getPropertyOptions(t) {
    return this.elementProperties.get(t) ?? wt;
  }
  static _$Ei() {
    if (this.hasOwnProperty(j("elementProperties"))) return;
    const t = le(this);
    t.finalize(), t.l !== void 0 && (this.l = [...t.l]), this.elementProperties = new Map(t.elementProperties);
  }
  static finalize() {
    if (this.hasOwnProperty(j("finalized"))) return;
    if (this.finalized = !0, this._$Ei(), this.hasOwnProperty(j("properties"))) {
      const s = this.properties, r = [...ne(s), ...ae(s)];
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
      for (const i of r) s.unshift(vt(i));
    } else t !== void 0 && s.push(vt(t));
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
    return se(t, this.constructor.elementStyles), t;
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
      const o = (r.converter?.toAttribute !== void 0 ? r.converter : J).toAttribute(s, r.type);
      this._$Em = t, o == null ? this.removeAttribute(i) : this.setAttribute(i, o), this._$Em = null;
    }
  }
  _$AK(t, s) {
    const r = this.constructor, i = r._$Eh.get(t);
    if (i !== void 0 && this._$Em !== i) {
      const o = r.getPropertyOptions(i), n = typeof o.converter == "function" ? { fromAttribute: o.converter } : o.converter?.fromAttribute !== void 0 ? o.converter : J;
      this._$Em = i;
      const a = n.fromAttribute(s, o.type);
      this[i] = a ?? this._$Ej?.get(i) ?? a, this._$Em = null;
    }
  }
  requestUpdate(t, s, r, i = !1, o) {
    if (t !== void 0) {
      const n = this.constructor;
      if (i === !1 && (o = this[t]), r ??= n.getPropertyOptions(t), !((r.hasChanged ?? ht)(o, s) || r.useDefault && r.reflect && o === this._$Ej?.get(t) && !this.hasAttribute(n._$Eu(t, r)))) return;
      this.C(t, s, r);
    }
    this.isUpdatePending === !1 && (this._$ES = this._$EP());
  }
  C(t, s, { useDefault: r, reflect: i, wrapped: o }, n) {
    r && !(this._$Ej ??= /* @__PURE__ */ new Map()).has(t) && (this._$Ej.set(t, n ?? s ?? this[t]), o !== !0 || n !== void 0) || (this._$AL.has(t) || (this.hasUpdated || r || (s = void 0), this._$AL.set(t, s)), i === !0 && this._$Em !== t && (this._$Eq ??= /* @__PURE__ */ new Set()).add(t));
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
        for (const [i, o] of this._$Ep) this[i] = o;
        this._$Ep = void 0;
      }
      const r = this.constructor.elementProperties;
      if (r.size > 0) for (const [i, o] of r) {
        const { wrapped: n } = o, a = this[i];
        n !== !0 || this._$AL.has(i) || a === void 0 || this.C(i, void 0, o, a);
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
D.elementStyles = [], D.shadowRootOptions = { mode: "open" }, D[j("elementProperties")] = /* @__PURE__ */ new Map(), D[j("finalized")] = /* @__PURE__ */ new Map(), he?.({ ReactiveElement: D }), (et.reactiveElementVersions ??= []).push("2.1.2");
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const dt = globalThis, _t = (e) => e, Q = dt.trustedTypes, xt = Q ? Q.createPolicy("lit-html", { createHTML: (e) => e }) : void 0, Wt = "$lit$", S = `lit$${Math.random().toFixed(9).slice(2)}$`, qt = "?" + S, de = `<${qt}>`, M = document, L = () => M.createComment(""), W = (e) => e === null || typeof e != "object" && typeof e != "function", pt = Array.isArray, pe = (e) => pt(e) || typeof e?.[Symbol.iterator] == "function", ot = `[ 	
\f\r]`, N = /<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g, At = /-->/g, kt = />/g, C = RegExp(`>|${ot}(?:([^\\s"'>=/]+)(${ot}*=${ot}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`, "g"), St = /'/g, Et = /"/g, Ft = /^(?:script|style|textarea|title)$/i, Vt = (e) => (t, ...s) => ({ _$litType$: e, strings: t, values: s }), h = Vt(1), ue = Vt(2), O = Symbol.for("lit-noChange"), d = Symbol.for("lit-nothing"), Ct = /* @__PURE__ */ new WeakMap(), T = M.createTreeWalker(M, 129);
function Kt(e, t) {
  if (!pt(e) || !e.hasOwnProperty("raw")) throw Error("invalid template strings array");
  return xt !== void 0 ? xt.createHTML(t) : t;
}
const fe = (e, t) => {
  const s = e.length - 1, r = [];
  let i, o = t === 2 ? "<svg>" : t === 3 ? "<math>" : "", n = N;
  for (let a = 0; a < s; a++) {
    const l = e[a];
    let p, g, c = -1, f = 0;
    for (; f < l.length && (n.lastIndex = f, g = n.exec(l), g !== null); ) f = n.lastIndex, n === N ? g[1] === "!--" ? n = At : g[1] !== void 0 ? n = kt : g[2] !== void 0 ? (Ft.test(g[2]) && (i = RegExp("</" + g[2], "g")), n = C) : g[3] !== void 0 && (n = C) : n === C ? g[0] === ">" ? (n = i ?? N, c = -1) : g[1] === void 0 ? c = -2 : (c = n.lastIndex - g[2].length, p = g[1], n = g[3] === void 0 ? C : g[3] === '"' ? Et : St) : n === Et || n === St ? n = C : n === At || n === kt ? n = N : (n = C, i = void 0);
    const u = n === C && e[a + 1].startsWith("/>") ? " " : "";
    o += n === N ? l + de : c >= 0 ? (r.push(p), l.slice(0, c) + Wt + l.slice(c) + S + u) : l + S + (c === -2 ? a : u);
  }
  return [Kt(e, o + (e[s] || "<?>") + (t === 2 ? "</svg>" : t === 3 ? "</math>" : "")), r];
};
class q {
  constructor({ strings: t, _$litType$: s }, r) {
    let i;
    this.parts = [];
    let o = 0, n = 0;
    const a = t.length - 1, l = this.parts, [p, g] = fe(t, s);
    if (this.el = q.createElement(p, r), T.currentNode = this.el.content, s === 2 || s === 3) {
      const c = this.el.content.firstChild;
      c.replaceWith(...c.childNodes);
    }
    for (; (i = T.nextNode()) !== null && l.length < a; ) {
      if (i.nodeType === 1) {
        if (i.hasAttributes()) for (const c of i.getAttributeNames()) if (c.endsWith(Wt)) {
          const f = g[n++], u = i.getAttribute(c).split(S), m = /([.?@])?(.*)/.exec(f);
          l.push({ type: 1, index: o, name: m[2], strings: u, ctor: m[1] === "." ? me : m[1] === "?" ? $e : m[1] === "@" ? be : st }), i.removeAttribute(c);
        } else c.startsWith(S) && (l.push({ type: 6, index: o }), i.removeAttribute(c));
        if (Ft.test(i.tagName)) {
          const c = i.textContent.split(S), f = c.length - 1;
          if (f > 0) {
            i.textContent = Q ? Q.emptyScript : "";
            for (let u = 0; u < f; u++) i.append(c[u], L()), T.nextNode(), l.push({ type: 2, index: ++o });
            i.append(c[f], L());
          }
        }
      } else if (i.nodeType === 8) if (i.data === qt) l.push({ type: 2, index: o });
      else {
        let c = -1;
        for (; (c = i.data.indexOf(S, c + 1)) !== -1; ) l.push({ type: 7, index: o }), c += S.length - 1;
      }
      o++;
    }
  }
  static createElement(t, s) {
    const r = M.createElement("template");
    return r.innerHTML = t, r;
  }
}
function U(e, t, s = e, r) {
  if (t === O) return t;
  let i = r !== void 0 ? s._$Co?.[r] : s._$Cl;
  const o = W(t) ? void 0 : t._$litDirective$;
  return i?.constructor !== o && (i?._$AO?.(!1), o === void 0 ? i = void 0 : (i = new o(e), i._$AT(e, s, r)), r !== void 0 ? (s._$Co ??= [])[r] = i : s._$Cl = i), i !== void 0 && (t = U(e, i._$AS(e, t.values), i, r)), t;
}
class ge {
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
    const { el: { content: s }, parts: r } = this._$AD, i = (t?.creationScope ?? M).importNode(s, !0);
    T.currentNode = i;
    let o = T.nextNode(), n = 0, a = 0, l = r[0];
    for (; l !== void 0; ) {
      if (n === l.index) {
        let p;
        l.type === 2 ? p = new H(o, o.nextSibling, this, t) : l.type === 1 ? p = new l.ctor(o, l.name, l.strings, this, t) : l.type === 6 && (p = new ve(o, this, t)), this._$AV.push(p), l = r[++a];
      }
      n !== l?.index && (o = T.nextNode(), n++);
    }
    return T.currentNode = M, i;
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
    t = U(this, t, s), W(t) ? t === d || t == null || t === "" ? (this._$AH !== d && this._$AR(), this._$AH = d) : t !== this._$AH && t !== O && this._(t) : t._$litType$ !== void 0 ? this.$(t) : t.nodeType !== void 0 ? this.T(t) : pe(t) ? this.k(t) : this._(t);
  }
  O(t) {
    return this._$AA.parentNode.insertBefore(t, this._$AB);
  }
  T(t) {
    this._$AH !== t && (this._$AR(), this._$AH = this.O(t));
  }
  _(t) {
    this._$AH !== d && W(this._$AH) ? this._$AA.nextSibling.data = t : this.T(M.createTextNode(t)), this._$AH = t;
  }
  $(t) {
    const { values: s, _$litType$: r } = t, i = typeof r == "number" ? this._$AC(t) : (r.el === void 0 && (r.el = q.createElement(Kt(r.h, r.h[0]), this.options)), r);
    if (this._$AH?._$AD === i) this._$AH.p(s);
    else {
      const o = new ge(i, this), n = o.u(this.options);
      o.p(s), this.T(n), this._$AH = o;
    }
  }
  _$AC(t) {
    let s = Ct.get(t.strings);
    return s === void 0 && Ct.set(t.strings, s = new q(t)), s;
  }
  k(t) {
    pt(this._$AH) || (this._$AH = [], this._$AR());
    const s = this._$AH;
    let r, i = 0;
    for (const o of t) i === s.length ? s.push(r = new H(this.O(L()), this.O(L()), this, this.options)) : r = s[i], r._$AI(o), i++;
    i < s.length && (this._$AR(r && r._$AB.nextSibling, i), s.length = i);
  }
  _$AR(t = this._$AA.nextSibling, s) {
    for (this._$AP?.(!1, !0, s); t !== this._$AB; ) {
      const r = _t(t).nextSibling;
      _t(t).remove(), t = r;
    }
  }
  setConnected(t) {
    this._$AM === void 0 && (this._$Cv = t, this._$AP?.(t));
  }
}
class st {
  get tagName() {
    return this.element.tagName;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  constructor(t, s, r, i, o) {
    this.type = 1, this._$AH = d, this._$AN = void 0, this.element = t, this.name = s, this._$AM = i, this.options = o, r.length > 2 || r[0] !== "" || r[1] !== "" ? (this._$AH = Array(r.length - 1).fill(new String()), this.strings = r) : this._$AH = d;
  }
  _$AI(t, s = this, r, i) {
    const o = this.strings;
    let n = !1;
    if (o === void 0) t = U(this, t, s, 0), n = !W(t) || t !== this._$AH && t !== O, n && (this._$AH = t);
    else {
      const a = t;
      let l, p;
      for (t = o[0], l = 0; l < o.length - 1; l++) p = U(this, a[r + l], s, l), p === O && (p = this._$AH[l]), n ||= !W(p) || p !== this._$AH[l], p === d ? t = d : t !== d && (t += (p ?? "") + o[l + 1]), this._$AH[l] = p;
    }
    n && !i && this.j(t);
  }
  j(t) {
    t === d ? this.element.removeAttribute(this.name) : this.element.setAttribute(this.name, t ?? "");
  }
}
class me extends st {
  constructor() {
    super(...arguments), this.type = 3;
  }
  j(t) {
    this.element[this.name] = t === d ? void 0 : t;
  }
}
class $e extends st {
  constructor() {
    super(...arguments), this.type = 4;
  }
  j(t) {
    this.element.toggleAttribute(this.name, !!t && t !== d);
  }
}
class be extends st {
  constructor(t, s, r, i, o) {
    super(t, s, r, i, o), this.type = 5;
  }
  _$AI(t, s = this) {
    if ((t = U(this, t, s, 0) ?? d) === O) return;
    const r = this._$AH, i = t === d && r !== d || t.capture !== r.capture || t.once !== r.once || t.passive !== r.passive, o = t !== d && (r === d || i);
    i && this.element.removeEventListener(this.name, this, r), o && this.element.addEventListener(this.name, this, t), this._$AH = t;
  }
  handleEvent(t) {
    typeof this._$AH == "function" ? this._$AH.call(this.options?.host ?? this.element, t) : this._$AH.handleEvent(t);
  }
}
class ve {
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
const ye = { I: H }, we = dt.litHtmlPolyfillSupport;
we?.(q, H), (dt.litHtmlVersions ??= []).push("3.3.3");
const _e = (e, t, s) => {
  const r = s?.renderBefore ?? t;
  let i = r._$litPart$;
  if (i === void 0) {
    const o = s?.renderBefore ?? null;
    r._$litPart$ = i = new H(t.insertBefore(L(), o), o, void 0, s ?? {});
  }
  return i._$AI(e), i;
};
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const ut = globalThis;
let k = class extends D {
  constructor() {
    super(...arguments), this.renderOptions = { host: this }, this._$Do = void 0;
  }
  createRenderRoot() {
    const t = super.createRenderRoot();
    return this.renderOptions.renderBefore ??= t.firstChild, t;
  }
  update(t) {
    const s = this.render();
    this.hasUpdated || (this.renderOptions.isConnected = this.isConnected), super.update(t), this._$Do = _e(s, this.renderRoot, this.renderOptions);
  }
  connectedCallback() {
    super.connectedCallback(), this._$Do?.setConnected(!0);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), this._$Do?.setConnected(!1);
  }
  render() {
    return O;
  }
};
k._$litElement$ = !0, k.finalized = !0, ut.litElementHydrateSupport?.({ LitElement: k });
const xe = ut.litElementPolyfillSupport;
xe?.({ LitElement: k });
(ut.litElementVersions ??= []).push("4.2.2");
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const K = (e) => (t, s) => {
  s !== void 0 ? s.addInitializer(() => {
    customElements.define(e, t);
  }) : customElements.define(e, t);
};
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const Ae = { attribute: !0, type: String, converter: J, reflect: !1, hasChanged: ht }, ke = (e = Ae, t, s) => {
  const { kind: r, metadata: i } = s;
  let o = globalThis.litPropertyMetadata.get(i);
  if (o === void 0 && globalThis.litPropertyMetadata.set(i, o = /* @__PURE__ */ new Map()), r === "setter" && ((e = Object.create(e)).wrapped = !0), o.set(s.name, e), r === "accessor") {
    const { name: n } = s;
    return { set(a) {
      const l = t.get.call(this);
      t.set.call(this, a), this.requestUpdate(n, l, e, !0, a);
    }, init(a) {
      return a !== void 0 && this.C(n, void 0, e, a), a;
    } };
  }
  if (r === "setter") {
    const { name: n } = s;
    return function(a) {
      const l = this[n];
      t.call(this, a), this.requestUpdate(n, l, e, !0, a);
    };
  }
  throw Error("Unsupported decorator location: " + r);
};
function $(e) {
  return (t, s) => typeof s == "object" ? ke(e, t, s) : ((r, i, o) => {
    const n = i.hasOwnProperty(o);
    return i.constructor.createProperty(o, r), n ? Object.getOwnPropertyDescriptor(i, o) : void 0;
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
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const Se = (e, t, s) => (s.configurable = !0, s.enumerable = !0, Reflect.decorate && typeof t != "object" && Object.defineProperty(e, t, s), s);
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
function Ee(e, t) {
  return (s, r, i) => {
    const o = (n) => n.renderRoot?.querySelector(e) ?? null;
    return Se(s, r, { get() {
      return o(this);
    } });
  };
}
const F = {
  down: 0,
  unreachable: 1,
  pending: 2,
  unknown: 3,
  up: 4,
  paused: 5
}, Y = {
  down: "Down",
  unreachable: "Unreachable",
  pending: "Pending",
  unknown: "Not checked yet",
  up: "Up",
  paused: "Paused"
}, Ce = new Intl.Collator(void 0, { sensitivity: "base" });
function Gt(e) {
  return [...e].sort(
    (t, s) => F[t.status] - F[s.status] || Ce.compare(t.name, s.name) || (t.id < s.id ? -1 : t.id > s.id ? 1 : 0)
  );
}
function Xt(e) {
  let t;
  return (...s) => ((!t || t.args.length !== s.length || t.args.some((r, i) => !Object.is(r, s[i]))) && (t = { args: s, result: e(...s) }), t.result);
}
function Pe(e) {
  const t = /* @__PURE__ */ new Map();
  for (const s of e) t.set(s.status, (t.get(s.status) ?? 0) + 1);
  return [...t.entries()].sort((s, r) => F[s[0]] - F[r[0]]).map(([s, r]) => `${r} ${Y[s].toLowerCase()}`).join(" · ");
}
function Te(e, t, s, r = 8) {
  return Math.max(r, Math.ceil((e + s) / t) + 1);
}
function Me(e, t, s) {
  return e >= t ? e : Math.min(t, e + s);
}
function Oe(e, t) {
  const s = [...e];
  if (t.show === "tags") {
    const r = new Set((t.tags ?? []).map((i) => i.toLowerCase()));
    return s.filter((i) => i.tags.some((o) => r.has(o.toLowerCase())));
  }
  if (t.show === "targets") {
    const r = new Set(t.targets ?? []);
    return s.filter((i) => r.has(i.id));
  }
  return s;
}
function De(e, t) {
  const s = t.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return [...e].filter(
    (r) => (t.statuses.size === 0 || t.statuses.has(r.status)) && (!t.tag || r.tags.includes(t.tag)) && s.every(
      (i) => r.name.toLowerCase().includes(i) || r.kind.includes(i) || r.tags.some((o) => o.toLowerCase().includes(i))
    )
  );
}
function Ue(e, t) {
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
function Zt(e) {
  const t = /* @__PURE__ */ new Set();
  for (const s of e) for (const r of s.tags) t.add(r);
  return [...t].sort();
}
function Jt(e) {
  const t = Math.max(0, Math.round(e));
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min`;
  if (t < 86400) {
    const i = Math.floor(t / 3600), o = Math.floor(t % 3600 / 60);
    return o ? `${i} h ${o} min` : `${i} h`;
  }
  const s = Math.floor(t / 86400), r = Math.floor(t % 86400 / 3600);
  return r ? `${s} d ${r} h` : `${s} d`;
}
function Qt(e, t) {
  return e ? `${Jt((t - Date.parse(e)) / 1e3)} ago` : null;
}
function G(e) {
  return e === null ? "–" : e >= 99.995 ? "100%" : `${e >= 99 ? e.toFixed(2) : e.toFixed(1)}%`;
}
function Yt(e) {
  return e === null ? "–" : e >= 1e3 ? `${(e / 1e3).toFixed(2)} s` : `${Math.round(e)} ms`;
}
const Pt = /* @__PURE__ */ new Map();
function te(e, t) {
  const s = `${e ?? ""}|${t}`;
  let r = Pt.get(s);
  return r || (r = new Intl.DateTimeFormat(e, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...t ? { second: "2-digit" } : {}
  }), Pt.set(s, r)), r;
}
function at(e, t) {
  return te(t, !1).format(new Date(e));
}
function Re(e, t) {
  return (e - t[0]) * 1e3;
}
function He(e, t, s, r) {
  const i = te(r, !0).format(new Date(e)), [, o, n] = t, a = [i, o ? "passed" : "failed"];
  return n !== null && a.push(Yt(n)), !o && s && a.push(s), a.join(" · ");
}
const Tt = /* @__PURE__ */ new WeakMap();
function Ne(e, t, s) {
  const r = `${t}x${s}`, i = Tt.get(e);
  if (i?.size === r) return i.points;
  const o = Ie(e, t, s);
  return Tt.set(e, { size: r, points: o }), o;
}
function Ie(e, t, s) {
  const r = e.map((l) => l[2]).filter((l) => l !== null);
  if (r.length < 2) return "";
  const i = Math.max(...r), o = Math.min(...r), n = i - o || 1, a = t / (r.length - 1);
  return r.map((l, p) => {
    const g = (p * a).toFixed(1), c = (s - 1 - (l - o) / n * (s - 2)).toFixed(1);
    return `${g},${c}`;
  }).join(" ");
}
const Mt = /* @__PURE__ */ new WeakMap();
function ze(e, t, s, r) {
  const i = `${t}/${s}/${r}`, o = Mt.get(e);
  if (o?.size === i) return o.paths;
  const n = [], a = [];
  e.forEach((p, g) => {
    (p[1] ? n : a).push(`M${g * (t + s)} 0h${t}v${r}h-${t}z`);
  });
  const l = { ok: n.join(""), failed: a.join("") };
  return Mt.set(e, { size: i, paths: l }), l;
}
function Be(e, t, s) {
  const r = [];
  if (e.status === "unreachable" && e.depends_on ? r.push(`Unreachable because ${e.depends_on} is down`) : e.error && e.status !== "paused" && r.push(e.error), e.acknowledged) {
    const i = e.acknowledged.note ? `: ${e.acknowledged.note}` : "";
    r.push(`Acknowledged by ${e.acknowledged.by}${i}`);
  }
  return e.silenced_until && r.push(`Silenced until ${at(e.silenced_until, s)}`), e.kind === "heartbeat" && r.push(
    e.last_ping ? `Last ping ${Qt(e.last_ping, t)}` : "No ping received yet"
  ), r;
}
function je(e, t) {
  const s = new Date(e).getTime();
  return Number.isNaN(s) || s <= t ? null : new Date(s).toISOString();
}
const Ot = 2e3;
class ft {
  constructor(t, s) {
    this.host = t, this.onChange = s, this.targets = /* @__PURE__ */ new Map(), this.version = 0, this.loaded = !1, this.error = "", this.connected = !1, t.addController(this);
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
      this.error = t.message ?? "PiAlert is not available.", this.loaded = !0, this.unsubscribe = void 0, this.host.requestUpdate(), this.retry = setTimeout(() => this.connected && this.subscribe(), Ot * 5);
    }));
  }
  receive(t) {
    if ("reload" in t) {
      this.retry = setTimeout(() => this.connected && this.subscribe(), Ot);
      return;
    }
    this.error = "", this.loaded = !0, Ue(this.targets, t) && (this.version += 1, this.onChange?.(), this.host.requestUpdate());
  }
}
const gt = V`
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
const Le = { CHILD: 2 }, We = (e) => (...t) => ({ _$litDirective$: e, values: t });
let qe = class {
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
const { I: Fe } = ye, Dt = (e) => e, Ut = () => document.createComment(""), I = (e, t, s) => {
  const r = e._$AA.parentNode, i = t === void 0 ? e._$AB : t._$AA;
  if (s === void 0) {
    const o = r.insertBefore(Ut(), i), n = r.insertBefore(Ut(), i);
    s = new Fe(o, n, e, e.options);
  } else {
    const o = s._$AB.nextSibling, n = s._$AM, a = n !== e;
    if (a) {
      let l;
      s._$AQ?.(e), s._$AM = e, s._$AP !== void 0 && (l = e._$AU) !== n._$AU && s._$AP(l);
    }
    if (o !== i || a) {
      let l = s._$AA;
      for (; l !== o; ) {
        const p = Dt(l).nextSibling;
        Dt(r).insertBefore(l, i), l = p;
      }
    }
  }
  return s;
}, P = (e, t, s = e) => (e._$AI(t, s), e), Ve = {}, Ke = (e, t = Ve) => e._$AH = t, Ge = (e) => e._$AH, nt = (e) => {
  e._$AR(), e._$AA.remove();
};
/**
 * @license
 * Copyright 2017 Google LLC
 * SPDX-License-Identifier: BSD-3-Clause
 */
const Rt = (e, t, s) => {
  const r = /* @__PURE__ */ new Map();
  for (let i = t; i <= s; i++) r.set(e[i], i);
  return r;
}, Xe = We(class extends qe {
  constructor(e) {
    if (super(e), e.type !== Le.CHILD) throw Error("repeat() can only be used in text expressions");
  }
  dt(e, t, s) {
    let r;
    s === void 0 ? s = t : t !== void 0 && (r = t);
    const i = [], o = [];
    let n = 0;
    for (const a of e) i[n] = r ? r(a, n) : n, o[n] = s(a, n), n++;
    return { values: o, keys: i };
  }
  render(e, t, s) {
    return this.dt(e, t, s).values;
  }
  update(e, [t, s, r]) {
    const i = Ge(e), { values: o, keys: n } = this.dt(t, s, r);
    if (!Array.isArray(i)) return this.ut = n, o;
    const a = this.ut ??= [], l = [];
    let p, g, c = 0, f = i.length - 1, u = 0, m = o.length - 1;
    for (; c <= f && u <= m; ) if (i[c] === null) c++;
    else if (i[f] === null) f--;
    else if (a[c] === n[u]) l[u] = P(i[c], o[u]), c++, u++;
    else if (a[f] === n[m]) l[m] = P(i[f], o[m]), f--, m--;
    else if (a[c] === n[m]) l[m] = P(i[c], o[m]), I(e, l[m + 1], i[c]), c++, m--;
    else if (a[f] === n[u]) l[u] = P(i[f], o[u]), I(e, i[c], i[f]), f--, u++;
    else if (p === void 0 && (p = Rt(n, u, m), g = Rt(a, c, f)), p.has(a[c])) if (p.has(a[f])) {
      const A = g.get(n[u]), it = A !== void 0 ? i[A] : null;
      if (it === null) {
        const $t = I(e, i[c]);
        P($t, o[u]), l[u] = $t;
      } else l[u] = P(it, o[u]), I(e, i[c], it), i[A] = null;
      u++;
    } else nt(i[f]), f--;
    else nt(i[c]), c++;
    for (; u <= m; ) {
      const A = I(e, l[m + 1]);
      P(A, o[u]), l[u++] = A;
    }
    for (; c <= f; ) {
      const A = i[c++];
      A !== null && nt(A);
    }
    return this.ut = n, Ke(e, l), O;
  }
});
var Ze = Object.defineProperty, Je = Object.getOwnPropertyDescriptor, w = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? Je(t, s) : t, o = e.length - 1, n; o >= 0; o--)
    (n = e[o]) && (i = (r ? n(t, s, i) : n(i)) || i);
  return r && i && Ze(t, s, i), i;
};
const z = 6, B = 2, X = 20, Ht = 96, Nt = 24;
function Qe(e) {
  history.pushState(null, "", e), window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: !1 } }));
}
let v = class extends k {
  constructor() {
    super(...arguments), this.mode = "compact", this.now = Date.now(), this.position = 1, this.setSize = 1, this.form = "none", this.busy = !1, this.error = "", this.pickedBar = -1, this.errors = /* @__PURE__ */ new Map(), this.errorsFor = null;
  }
  render() {
    const e = this.target, t = this.mode === "detailed", s = Qt(e.since, this.now), r = this.hass?.locale?.language;
    return h`
      <div class="row status-${e.status}" role="listitem"
        aria-posinset=${this.position}
        aria-setsize=${this.setSize}
        aria-label="${e.name}: ${Y[e.status]}">
        <span class="dot" aria-hidden="true"></span>
        <div class="main">
          <div class="head">
            <span class="name">${e.name}</span>
            <span class="status">${Y[e.status]}${s ? h`<span class="since"> · for ${s.replace(/ ago$/, "")}</span>` : d}</span>
          </div>
          ${Be(e, this.now, r).map((i) => h`<div class="why">${i}</div>`)}
          <div class="foot">
          ${t ? this.renderDetails() : d}
          <div class="actions" role="group" aria-label="Actions for ${e.name}">
            ${e.status === "down" && !e.acknowledged ? h`<button @click=${() => this.toggle("acknowledge")} aria-expanded=${this.form === "acknowledge"}>Acknowledge</button>` : d}
            ${e.silenced_until ? h`<button @click=${this.unsilence} ?disabled=${this.busy}>Unsilence</button>` : h`<button @click=${() => this.toggle("silence")} aria-expanded=${this.form === "silence"}>Silence</button>`}
            ${e.device_id && this.hass?.user?.is_admin ? h`<button @click=${() => Qe(`/config/devices/device/${e.device_id}`)}>Device</button>` : d}
          </div>
          </div>
          ${t ? h`<div class="bar-detail" aria-live="polite">${this.pickedBar >= 0 && this.pickedBar < e.checks.length ? this.describeBar(this.pickedBar, r) : ""}</div>` : d}
          ${this.renderForm()}
          ${this.error ? h`<div class="error" role="alert">${this.error}</div>` : d}
        </div>
        <div class="figures">
          <span title="Uptime, last 24 hours">${G(e.uptime["24h"])}</span>
          ${e.response_time_ms !== null ? h`<span class="ms">${Yt(e.response_time_ms)}</span>` : d}
        </div>
      </div>
    `;
  }
  renderDetails() {
    const e = this.target, t = e.checks, s = Math.max(1, t.length * (z + B) - B), r = Ne(t, Ht, Nt), i = ze(t, z, B, X), o = t.filter((a) => !a[1]).length, n = t.length ? `Last ${t.length} checks, ${o} failed; use the arrow keys to read each` : "Not checked yet";
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
          <svg width=${s} height=${X} viewBox="0 0 ${s} ${X}" aria-hidden="true">
            <path class="ok" d=${i.ok}></path>
            <path class="failed" d=${i.failed}></path>
            ${this.pickedBar >= 0 && this.pickedBar < t.length ? ue`<rect class="picked ${t[this.pickedBar][1] ? "ok" : "failed"}" x=${this.pickedBar * (z + B)} y="0" width=${z} height=${X}></rect>` : d}
          </svg>
        </div>
        ${r ? h`<svg class="spark" width=${Ht} height=${Nt} aria-hidden="true"><polyline points=${r} fill="none" stroke="var(--primary-color)" stroke-width="1.5"></polyline></svg>` : d}
        <div class="uptimes" aria-label="Uptime">
          <span>24 h ${G(e.uptime["24h"])}</span>
          <span>7 d ${G(e.uptime["7d"])}</span>
          <span>30 d ${G(e.uptime["30d"])}</span>
        </div>
      </div>
    `;
  }
  describeBar(e, t) {
    const s = this.target.checks[e], r = Re(this.target.checks_at ?? 0, s);
    return He(r, s, this.errors.get(r / 1e3), t);
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
    const t = String(new FormData(e.target).get("until") ?? ""), s = je(t, Date.now());
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
    const t = e.currentTarget.getBoundingClientRect(), s = Math.floor((e.clientX - t.left) / (z + B));
    this.pickedBar = s >= 0 && s < this.target.checks.length ? s : -1;
  }
};
v.styles = [
  gt,
  V`
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
      .ok { fill: var(--pa-up); }
      .failed { fill: var(--pa-down); }
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
  $({ type: Number })
], v.prototype, "position", 2);
w([
  $({ type: Number })
], v.prototype, "setSize", 2);
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
  K("pialert-target-row")
], v);
var Ye = Object.defineProperty, ts = Object.getOwnPropertyDescriptor, E = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? ts(t, s) : t, o = e.length - 1, n; o >= 0; o--)
    (n = e[o]) && (i = (r ? n(t, s, i) : n(i)) || i);
  return r && i && Ye(t, s, i), i;
};
const es = 24, It = { compact: 64, detailed: 96 }, zt = 400;
let _ = class extends k {
  constructor() {
    super(...arguments), this.targets = [], this.mode = "compact", this.now = Date.now(), this.label = "Targets", this.end = 0;
  }
  connectedCallback() {
    super.connectedCallback(), this.observer = new IntersectionObserver(
      (e) => {
        e.some((t) => t.isIntersecting) && this.grow();
      },
      { rootMargin: `0px 0px ${zt}px 0px` }
    ), this.hasUpdated && this.watchRest();
  }
  disconnectedCallback() {
    super.disconnectedCallback(), this.observer?.disconnect(), this.observer = void 0;
  }
  /** Draw more rows; when the end is still near after that, the observer says so again. */
  grow() {
    const e = Me(this.end, this.targets.length, es);
    e !== this.end && (this.end = e);
  }
  /** The keyboard moving into the last drawn rows draws the next ones, so Tab reaches every row. */
  focusIn(e) {
    const t = e.composedPath().find((r) => r.localName === "pialert-target-row");
    (t ? Number(t.dataset.index) : -1) >= this.end - 2 && this.grow();
  }
  willUpdate() {
    this.end === 0 && (this.end = Te(window.innerHeight, It[this.mode], zt));
  }
  updated(e) {
    (e.has("end") || e.has("targets") || e.has("mode")) && this.watchRest();
  }
  watchRest() {
    this.observer && (this.observer.disconnect(), this.rest && this.observer.observe(this.rest));
  }
  render() {
    const e = this.targets.length, t = this.targets.slice(0, this.end), s = (e - t.length) * It[this.mode];
    return h`<div role="list" aria-label=${this.label} @focusin=${this.focusIn}>
        ${Xe(
      t,
      (r) => r.id,
      (r, i) => h`<pialert-target-row
            data-index=${i}
            .hass=${this.hass}
            .target=${r}
            .mode=${this.mode}
            .now=${this.now}
            .position=${i + 1}
            .setSize=${e}
          ></pialert-target-row>`
    )}
      </div>
      <div class="rest" style="height: ${s}px" aria-hidden="true"></div>`;
  }
};
_.styles = V`
    :host {
      display: block;
    }
    .rest {
      min-height: 1px;
    }
  `;
E([
  $({ attribute: !1 })
], _.prototype, "hass", 2);
E([
  $({ attribute: !1 })
], _.prototype, "targets", 2);
E([
  $()
], _.prototype, "mode", 2);
E([
  $({ type: Number })
], _.prototype, "now", 2);
E([
  $()
], _.prototype, "label", 2);
E([
  b()
], _.prototype, "end", 2);
E([
  Ee(".rest")
], _.prototype, "rest", 2);
_ = E([
  K("pialert-target-list")
], _);
var ss = Object.defineProperty, rs = Object.getOwnPropertyDescriptor, rt = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? rs(t, s) : t, o = e.length - 1, n; o >= 0; o--)
    (n = e[o]) && (i = (r ? n(t, s, i) : n(i)) || i);
  return r && i && ss(t, s, i), i;
};
const Bt = ["all", "tags", "targets"], jt = ["compact", "detailed"], is = 3e4;
let R = class extends k {
  constructor() {
    super(...arguments), this.config = { type: "custom:pialert-card" }, this.now = Date.now(), this.feed = new ft(this), this.chosen = Xt((e, t) => {
      const s = Gt(Oe(this.feed.targets.values(), t));
      return { targets: s, summary: Pe(s) };
    });
  }
  set hass(e) {
    this.hassValue = e, this.feed.setHass(e);
  }
  get hass() {
    return this.hassValue;
  }
  setConfig(e) {
    if (e.show && !Bt.includes(e.show))
      throw new Error(`show must be one of ${Bt.join(", ")}`);
    if (e.mode && !jt.includes(e.mode))
      throw new Error(`mode must be one of ${jt.join(", ")}`);
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
    super.connectedCallback(), this.clock = setInterval(() => this.now = Date.now(), is);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), clearInterval(this.clock);
  }
  render() {
    const e = this.config.title ?? "PiAlert", { targets: t, summary: s } = this.chosen(this.feed.version, this.config);
    return h`<ha-card>
      <div class="header">
        <h2>${e}</h2>
        <span class="summary" role="status">${s}</span>
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
R.styles = [
  gt,
  V`
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
rt([
  b()
], R.prototype, "config", 2);
rt([
  b()
], R.prototype, "now", 2);
rt([
  $({ attribute: !1 })
], R.prototype, "hass", 1);
R = rt([
  K("pialert-card")
], R);
const os = {
  title: "Title",
  show: "Targets to show",
  tags: "Tags",
  targets: "Targets",
  mode: "Layout"
};
function ns(e, t, s) {
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
var as = Object.defineProperty, ls = Object.getOwnPropertyDescriptor, mt = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? ls(t, s) : t, o = e.length - 1, n; o >= 0; o--)
    (n = e[o]) && (i = (r ? n(t, s, i) : n(i)) || i);
  return r && i && as(t, s, i), i;
};
let tt = class extends k {
  constructor() {
    super(...arguments), this.config = { type: "custom:pialert-card" }, this.feed = new ft(this);
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
      .schema=${ns(this.config, Zt(this.feed.targets.values()), e)}
      .computeLabel=${(t) => os[t.name] ?? t.name}
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
mt([
  b()
], tt.prototype, "config", 2);
mt([
  $({ attribute: !1 })
], tt.prototype, "hass", 1);
tt = mt([
  K("pialert-card-editor")
], tt);
const cs = {
  down: "Went down",
  escalation: "Escalation",
  reminder: "Reminder",
  acknowledged: "Acknowledged",
  recovered: "Recovered",
  updated: "Incident updated",
  test: "Test"
}, hs = {
  sent: "Sent",
  queued: "Queued",
  retrying: "Retrying",
  failed: "Failed",
  skipped: "Skipped"
};
function ds(e) {
  return cs[e] ?? `Webhook ${e}`;
}
function ps(e) {
  const t = e.indexOf(":"), s = t < 0 ? e : e.slice(0, t), r = t < 0 ? "" : e.slice(t + 1);
  switch (s) {
    case "entity":
    case "service":
      return r;
    case "persistent":
      return "Persistent notification";
    case "relay":
      return "Relay";
    case "webhook":
      return /^\d+$/.test(r) ? `Webhook (step ${Number(r) + 1})` : "Webhook";
    case "alertmanager":
      return `Alertmanager ${r}`;
    default:
      return e;
  }
}
function us(e, t) {
  const s = hs[e] ?? e;
  return t ? `${s}: ${t}` : s;
}
var fs = Object.defineProperty, gs = Object.getOwnPropertyDescriptor, x = (e, t, s, r) => {
  for (var i = r > 1 ? void 0 : r ? gs(t, s) : t, o = e.length - 1, n; o >= 0; o--)
    (n = e[o]) && (i = (r ? n(t, s, i) : n(i)) || i);
  return r && i && fs(t, s, i), i;
};
const ms = 1e3, $s = 25, bs = 3e4;
let y = class extends k {
  constructor() {
    super(...arguments), this.narrow = !1, this.search = "", this.statuses = /* @__PURE__ */ new Set(), this.tag = "", this.mode = "detailed", this.incidents = [], this.deliveries = [], this.now = Date.now(), this.feed = new ft(this, () => this.scheduleIncidents()), this.chosen = Xt(
      (e, t, s, r) => {
        const i = [...this.feed.targets.values()], o = Gt(De(i, { search: t, statuses: s, tag: r })), n = /* @__PURE__ */ new Map();
        for (const a of i) n.set(a.status, (n.get(a.status) ?? 0) + 1);
        return { all: i, shown: o, counts: n, tags: Zt(i) };
      }
    );
  }
  set hass(e) {
    const t = !this.hassValue && e;
    this.hassValue = e, this.feed.setHass(e), t && this.scheduleIncidents();
  }
  get hass() {
    return this.hassValue;
  }
  connectedCallback() {
    super.connectedCallback(), this.clock = setInterval(() => this.now = Date.now(), bs);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), clearInterval(this.clock), clearTimeout(this.incidentTimer);
  }
  scheduleIncidents() {
    clearTimeout(this.incidentTimer), this.incidentTimer = setTimeout(() => this.loadIncidents(), ms);
  }
  async loadIncidents() {
    if (this.hass) {
      this.loadDeliveries();
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
  }
  async loadDeliveries() {
    if (this.hass)
      try {
        const e = await this.hass.callWS({
          type: "pialert/deliveries",
          limit: $s
        });
        this.deliveries = e.deliveries;
      } catch {
        this.deliveries = [];
      }
  }
  render() {
    const { all: e, shown: t, counts: s, tags: r } = this.chosen(this.feed.version, this.search, this.statuses, this.tag), i = Object.keys(F).filter((a) => s.get(a)), o = this.incidents.filter((a) => a.ended_at === null), n = this.incidents.filter((a) => a.ended_at !== null).slice(0, 20);
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
                @input=${(a) => this.search = a.target.value}
              />
            </label>
            <div class="chips" role="group" aria-label="Filter by status">
              ${i.map(
      (a) => h`<button
                  class="chip status-${a}"
                  aria-pressed=${this.statuses.has(a)}
                  @click=${() => this.toggleStatus(a)}
                >${Y[a]} ${s.get(a)}</button>`
    )}
            </div>
            <label>
              Tag
              <select @change=${(a) => this.tag = a.target.value}>
                <option value="" ?selected=${!this.tag}>Any</option>
                ${r.map((a) => h`<option ?selected=${a === this.tag}>${a}</option>`)}
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
          ${o.length ? this.renderIncidents(o) : h`<p class="quiet">None: everything that is watched is fine.</p>`}
          <h2>Recent incidents</h2>
          ${n.length ? this.renderIncidents(n) : h`<p class="quiet">No incidents yet.</p>`}
        </section>
        <section class="deliveries" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Recent notifications</h2>
          ${this.deliveries.length ? this.renderDeliveries() : h`<p class="quiet">No notifications sent yet.</p>`}
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
            <span>${at(s.started_at, t)} · ${s.ended_at ? "lasted" : "for"} ${Jt(r)}</span>
          </div>
          <div class="quiet">${s.last_error ?? s.first_error ?? ""}</div>
          ${s.acknowledged_by ? h`<div class="quiet">Acknowledged by ${s.acknowledged_by}${s.acknowledgement_note ? `: ${s.acknowledgement_note}` : ""}</div>` : d}
        </li>`;
    })}
    </ul>`;
  }
  renderDeliveries() {
    const e = this.hass?.locale?.language;
    return h`<div class="table-scroll">
      <table aria-labelledby="deliveries-title">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Rule</th>
            <th scope="col">Event</th>
            <th scope="col">Channel</th>
            <th scope="col">Outcome</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          ${this.deliveries.map(
      (t) => h`<tr>
              <td><time datetime=${t.time}>${at(t.time, e)}</time></td>
              <td>${t.rule}</td>
              <td>${ds(t.what)}</td>
              <td class="channel">${ps(t.channel)}</td>
              <td class="outcome-${t.status}">${us(t.status, t.error)}</td>
              <td>${t.message}</td>
            </tr>`
    )}
        </tbody>
      </table>
    </div>`;
  }
  toggleStatus(e) {
    const t = new Set(this.statuses);
    t.delete(e) || t.add(e), this.statuses = t;
  }
};
y.styles = [
  gt,
  V`
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
      .deliveries {
        grid-column: 1 / -1;
      }
      .table-scroll {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.875em;
      }
      th {
        text-align: start;
        font-weight: 500;
        color: var(--secondary-text-color);
      }
      th,
      td {
        padding: 6px 8px;
        border-bottom: 1px solid var(--divider-color);
        vertical-align: top;
      }
      td.channel {
        overflow-wrap: anywhere;
      }
      .outcome-failed {
        color: var(--error-color);
      }
      .outcome-retrying,
      .outcome-queued {
        color: var(--warning-color);
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
x([
  $({ type: Boolean })
], y.prototype, "narrow", 2);
x([
  b()
], y.prototype, "search", 2);
x([
  b()
], y.prototype, "statuses", 2);
x([
  b()
], y.prototype, "tag", 2);
x([
  b()
], y.prototype, "mode", 2);
x([
  b()
], y.prototype, "incidents", 2);
x([
  b()
], y.prototype, "deliveries", 2);
x([
  b()
], y.prototype, "now", 2);
x([
  $({ attribute: !1 })
], y.prototype, "hass", 1);
y = x([
  K("pialert-panel")
], y);
window.customCards = window.customCards ?? [];
window.customCards.some((e) => e.type === "pialert-card") || window.customCards.push({
  type: "pialert-card",
  name: "PiAlert",
  description: "Your PiAlert targets, what needs attention first: status, history bars, uptime, acknowledge and silence.",
  preview: !0,
  documentationURL: "https://github.com/pialert/pialert-homeassistant#dashboard-card-and-panel"
});
