package io.github.perfkit.core.internal;

/**
 * The style and script of perfkit's self-contained HTML pages (flame graphs and reports): charts are
 * drawn as inline SVG by a small script from JSON embedded in the page, so a page opens offline and
 * fetches nothing. Charts are declared as {@code <div data-chart="flame|percentiles|breakdown"
 * data-src="id">} next to {@code <script type="application/json" id="id">}. When the page has
 * rendered, {@code <body data-rendered="N">} tells how many charts were drawn; script errors (and a
 * chart that failed to draw) are listed in {@code <html data-errors>} and in the element with id
 * {@code errors}. Stateless.
 */
public final class HtmlAssets {

  private HtmlAssets() {}

  private static final String CSS = """
      body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;
      max-width:1200px}
      h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
      table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 8px;border-bottom:1px solid #eee;
      text-align:right}td:first-child,th:first-child{text-align:left}
      pre{background:#f6f8fa;padding:8px;overflow:auto}
      .flame text{font:11px monospace;pointer-events:none;fill:#111}
      .flame rect{stroke:#fff;stroke-width:.5;cursor:pointer}
      .flame-bar{margin:6px 0}.flame-info{font:12px monospace;color:#444;min-height:1.4em}
      .chart text{font:12px sans-serif;fill:#222}.chart .axis{stroke:#999}
      .good{color:#1a7f37}.bad{color:#cf222e}.muted{color:#666}
      #errors{color:#cf222e;white-space:pre}
      """;

  private static final String ERROR_CAPTURE = """
      window.perfkitErrors=[];
      window.addEventListener('error',function(e){
        var m=(e.message||'error')+' at '+(e.filename||'?')+':'+(e.lineno||0);
        window.perfkitErrors.push(m);
        document.documentElement.setAttribute('data-errors',window.perfkitErrors.join(' | '));
        var box=document.getElementById('errors'); if(box){box.textContent=window.perfkitErrors.join('\\n');}
      });
      """;

  private static final String LIBRARY = """
      var PK=(function(){
      var NS='http://www.w3.org/2000/svg';
      function el(tag,attrs,parent){var e=document.createElementNS(NS,tag);
        for(var k in attrs){e.setAttribute(k,attrs[k]);} if(parent){parent.appendChild(e);} return e;}
      function txt(parent,x,y,s,anchor){var t=el('text',{x:x,y:y},parent);
        if(anchor){t.setAttribute('text-anchor',anchor);} t.textContent=s; return t;}
      function dur(ns){if(ns<1e3)return Math.round(ns)+' ns';if(ns<1e6)return (ns/1e3).toPrecision(3)+' \\u00b5s';
        if(ns<1e9)return (ns/1e6).toPrecision(3)+' ms';return (ns/1e9).toPrecision(3)+' s';}
      function color(name){var h=0;for(var i=0;i<name.length;i++){h=(h*31+name.charCodeAt(i))|0;}
        var jdk=/^(java|jdk|sun|javax)\\./.test(name);h=Math.abs(h);
        return jdk?'hsl('+(195+h%40)+',45%,68%)':'hsl('+(8+h%45)+',78%,'+(55+h%15)+'%)';}
      function width(holder){return Math.max(600,Math.min(1150,holder.clientWidth||1000));}
      function flame(holder,root){
        var H=18;function depth(n){var d=0;(n.c||[]).forEach(function(c){d=Math.max(d,depth(c));});return d+1;}
        var maxD=depth(root);var zoom=[root];
        var bar=document.createElement('div');bar.className='flame-bar';
        var search=document.createElement('input');search.placeholder='search frames';
        var reset=document.createElement('button');reset.textContent='reset zoom';
        var info=document.createElement('div');info.className='flame-info';
        bar.appendChild(search);bar.appendChild(document.createTextNode(' '));bar.appendChild(reset);
        holder.appendChild(bar);holder.appendChild(info);
        var area=document.createElement('div');holder.appendChild(area);
        function render(){area.textContent='';var W=width(holder);
          var svg=el('svg',{width:W,height:maxD*H,'class':'flame'},area);var term=search.value;
          function rect(n,d,x,w,path){var y=(maxD-1-d)*H;var g=el('g',{'class':'frame'},svg);
            var hit=term&&n.n.indexOf(term)>=0;
            el('rect',{x:x,y:y,width:Math.max(w-0.5,0.5),height:H-1,rx:2,fill:hit?'#d63bf0':color(n.n)},g);
            var label=n.n+' - '+n.v+' samples ('+(100*n.v/root.v).toFixed(1)+'%)';
            el('title',{},g).textContent=label;
            if(w>42){var chars=Math.floor((w-6)/7);
              txt(g,x+3,y+13,n.n.length>chars?n.n.slice(0,Math.max(0,chars-1))+'\\u2026':n.n);}
            g.addEventListener('click',function(){zoom=path;render();});
            g.addEventListener('mouseover',function(){info.textContent=label;});}
          for(var i=0;i<zoom.length-1;i++){rect(zoom[i],i,0,W,zoom.slice(0,i+1));}
          function layout(n,d,x,w,path){if(w<1)return;rect(n,d,x,w,path);var cx=x;
            (n.c||[]).forEach(function(c){var cw=w*c.v/n.v;layout(c,d+1,cx,cw,path.concat([c]));cx+=cw;});}
          layout(zoom[zoom.length-1],zoom.length-1,0,W,zoom);}
        search.addEventListener('input',render);reset.addEventListener('click',function(){zoom=[root];render();});
        render();}
      function percentiles(holder,rows){
        var W=width(holder),L=190,R=90,row=22,keys=['p50','p95','p99'],cols=['#4c8bf5','#f5a623','#d0021b'];
        var max=0;rows.forEach(function(r){keys.forEach(function(k){max=Math.max(max,r[k]);});});
        var h=rows.length*(keys.length*row+10)+30;var svg=el('svg',{width:W,height:h,'class':'chart percentiles'},holder);
        var y=20;keys.forEach(function(k,i){el('rect',{x:L+i*70,y:2,width:10,height:10,fill:cols[i]},svg);txt(svg,L+i*70+14,11,k);});
        rows.forEach(function(r){txt(svg,0,y+row*1.5+4,r.name);
          keys.forEach(function(k,i){var w=max>0?(W-L-R)*r[k]/max:0;
            el('rect',{x:L,y:y+i*row,width:Math.max(w,1),height:row-4,fill:cols[i],'class':'bar'},svg);
            txt(svg,L+w+4,y+i*row+row-8,k+' '+dur(r[k]));});
          y+=keys.length*row+10;});
        el('line',{x1:L,y1:16,x2:L,y2:h,'class':'axis'},svg);}
      function breakdown(holder,data){
        var W=width(holder),L=220,R=70,row=22,stages=data.stages;var h=stages.length*row+40;
        var svg=el('svg',{width:W,height:h,'class':'chart breakdown'},holder);var plot=W-L-R;
        stages.forEach(function(s,i){var y=20+i*row;
          txt(svg,0,y+14,(s.inTop80?'\\u25cf ':'  ')+s.name);
          el('rect',{x:L,y:y,width:Math.max(plot*s.share,1),height:row-5,fill:s.inTop80?'#d0021b':'#9bb7e0','class':'bar'},svg);
          el('circle',{cx:L+plot*s.cumulativeShare,cy:y+(row-5)/2,r:3,fill:'#333'},svg);
          txt(svg,L+plot*s.share+4,y+14,(100*s.share).toFixed(1)+'%');});
        var x80=L+plot*data.threshold;
        el('line',{x1:x80,y1:12,x2:x80,y2:h-10,stroke:'#333','stroke-dasharray':'4 3','class':'line80'},svg);
        txt(svg,x80,10,(100*data.threshold).toFixed(0)+'% line (dots: cumulative share)','middle');
        el('line',{x1:L,y1:16,x2:L,y2:h-10,'class':'axis'},svg);}
      var kinds={flame:flame,percentiles:percentiles,breakdown:breakdown};
      function fail(m){window.perfkitErrors.push(m);
        document.documentElement.setAttribute('data-errors',window.perfkitErrors.join(' | '));
        var box=document.getElementById('errors');if(box){box.textContent=window.perfkitErrors.join('\\n');}}
      function init(){var n=0;var nodes=document.querySelectorAll('[data-chart]');
        for(var i=0;i<nodes.length;i++){var node=nodes[i];var kind=node.getAttribute('data-chart');
          try{if(!kinds[kind]){throw new Error('unknown chart kind: '+kind);}
            kinds[kind](node,JSON.parse(document.getElementById(node.getAttribute('data-src')).textContent));n++;}
          catch(e){fail('chart '+(i+1)+' ('+kind+'): '+e.message);}}
        document.body.setAttribute('data-rendered',String(n));}
      return {init:init,dur:dur};})();
      PK.init();
      """;

  /**
   * A whole page.
   *
   * @param title the page title (escaped here)
   * @param body HTML for the body, already escaped
   * @return the page
   */
  public static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"generator\" content=\"perfkit\"><title>" + escape(title) + "</title>"
        + "<style>" + CSS + "</style><script>" + ERROR_CAPTURE + "</script></head><body>\n" + body
        + "\n<div id=\"errors\"></div><script>" + LIBRARY + "</script></body></html>\n";
  }

  /**
   * A chart placeholder with its data.
   *
   * @param kind flame, percentiles or breakdown
   * @param id unique in the page
   * @param json the chart's data
   * @return the HTML
   */
  public static String chart(String kind, String id, String json) {
    return "<div class=\"chart-holder\" data-chart=\"" + kind + "\" data-src=\"" + id
        + "-data\"></div><script type=\"application/json\" id=\"" + id + "-data\">" + json
        + "</script>";
  }

  /** A flame graph section. */
  public static String flameSection(String id, String treeJson) {
    return "<p class=\"muted\">Each box is a method; its width is its share of the samples, callers"
        + " below callees. Click to zoom, type to highlight.</p>" + chart("flame", id, treeJson);
  }

  /**
   * Writes a page as UTF-8, creating parent directories.
   *
   * @param file the target, replaced if it exists
   * @param html the page
   * @return the file
   * @throws java.io.IOException if it cannot be written
   */
  public static java.nio.file.Path write(java.nio.file.Path file, String html)
      throws java.io.IOException {
    java.nio.file.Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    return java.nio.file.Files.writeString(file, html, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Escapes text for HTML content and attributes. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
