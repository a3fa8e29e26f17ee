/* Labels drawn on the graph canvas in screen pixels, the most important first, each placed
   only where it overlaps no label placed before it (below its node, else above, right, left or at a corner).
   The page calls kgLabels.draw after vis-network has drawn a frame. */
var kgLabels = (function () {
  "use strict";

  var CELL = 64, HALO = 3, LINE = 1.15;

  // Boxes in a grid of CELL-pixel cells, so a new box is tested only against its neighbours.
  function Boxes() { this.cells = new Map(); this.list = []; }
  Boxes.prototype.keys = function (box) {
    var keys = [];
    for (var cx = Math.floor(box.x / CELL); cx <= Math.floor((box.x + box.w) / CELL); cx++) {
      for (var cy = Math.floor(box.y / CELL); cy <= Math.floor((box.y + box.h) / CELL); cy++) keys.push(cx + "," + cy);
    }
    return keys;
  };
  Boxes.prototype.free = function (box) {
    var cells = this.cells;
    return this.keys(box).every(function (key) {
      return (cells.get(key) || []).every(function (o) {
        return box.x >= o.x + o.w || o.x >= box.x + box.w || box.y >= o.y + o.h || o.y >= box.y + box.h;
      });
    });
  };
  Boxes.prototype.add = function (box) {
    var cells = this.cells;
    this.keys(box).forEach(function (key) {
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(box);
    });
    this.list.push(box);
  };

  // Place labels: items are {text, x, y, px, gap, weight, color} in screen pixels (gap: the
  // node's radius), most important first; returns the boxes placed, at most `limit`.
  function place(ctx, items, width, height, limit, boxes, widths) {
    boxes = boxes || new Boxes();
    var placed = [];
    for (var k = 0; k < items.length && placed.length < limit; k++) {
      var item = items[k], h = Math.ceil(item.px * LINE);
      var key = item.text + "\u0000" + item.px + item.weight, w = widths.get(key);
      if (w === undefined) {
        ctx.font = item.weight + " " + item.px + "px system-ui, sans-serif";
        w = Math.ceil(ctx.measureText(item.text).width);
        widths.set(key, w);
      }
      var spots = [
        [item.x - w / 2, item.y + item.gap + 1], [item.x - w / 2, item.y - item.gap - 1 - h],
        [item.x + item.gap + 2, item.y - h / 2], [item.x - item.gap - 2 - w, item.y - h / 2],
        [item.x + item.gap, item.y + item.gap], [item.x - item.gap - w, item.y + item.gap],
        [item.x + item.gap, item.y - item.gap - h], [item.x - item.gap - w, item.y - item.gap - h]
      ];
      for (var s = 0; s < spots.length; s++) {
        var box = { x: spots[s][0], y: spots[s][1], w: w, h: h, item: item };
        if (box.x < 0 || box.y < 0 || box.x + w > width || box.y + h > height || !boxes.free(box)) continue;
        boxes.add(box);
        placed.push(box);
        break;
      }
    }
    return placed;
  }

  // Draw placed boxes: dark text with a white halo, so it reads over nodes and links.
  function draw(ctx, placed) {
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    placed.forEach(function (box) {
      var item = box.item;
      ctx.font = item.weight + " " + item.px + "px system-ui, sans-serif";
      ctx.lineWidth = HALO;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
      ctx.strokeText(item.text, box.x, box.y + (box.h - item.px) / 2);
      ctx.fillStyle = item.color || "#1a1a1a";
      ctx.fillText(item.text, box.x, box.y + (box.h - item.px) / 2);
    });
  }

  return { Boxes: Boxes, place: place, draw: draw };
}());
