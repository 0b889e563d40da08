// The import form: says how many files and how many MB are chosen, and refuses too many
// files or too many bytes before the browser sends them (the server checks again).
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var note = document.getElementById("upload-note");
  var submit = form.querySelector("input[type=submit]");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);

  function mb(bytes) {
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  input.addEventListener("change", function () {
    var total = 0;
    for (var i = 0; i < input.files.length; i++) total += input.files[i].size;
    var problem = "";
    if (input.files.length > maxFiles) {
      problem = "一次最多上传 " + maxFiles + " 个文件，请把网页打包成 zip 后再上传。";
    } else if (total > maxBytes) {
      problem = "选中的文件共 " + mb(total) + "，超过上限 " + mb(maxBytes) + "，请分几次上传。";
    }
    note.textContent = problem || (input.files.length ? "已选 " + input.files.length + " 个文件，共 " + mb(total) + "。" : "");
    note.className = problem ? "errornote" : "help";
    submit.disabled = Boolean(problem);
  });
})();
