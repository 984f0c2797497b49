// Drag-and-drop uploads straight to the public API, so a page upload is the same request a script makes and the
// browser reports real upload progress. The component in Components/Shared/FileDropZone.razor drives this.
window.weightShareUpload = {
    attach(zone, input, dotnet) {
        const choose = files => {
            zone.weightShareFiles = Array.from(files);
            if (zone.weightShareFiles.length > 0) {
                dotnet.invokeMethodAsync('OnFilesChosen', zone.weightShareFiles.map(f => ({ name: f.name, size: f.size })));
            }
        };
        zone.addEventListener('click', e => { if (e.target !== input) { input.click(); } });
        zone.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
        zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('dragging'); });
        zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
        zone.addEventListener('drop', e => {
            e.preventDefault();
            zone.classList.remove('dragging');
            choose(e.dataTransfer.files);
        });
        input.addEventListener('change', () => { choose(input.files); input.value = ''; });
    },

    // A 429 (the server's queue of uploads is full) is sent again after its Retry-After, up to maxBusyAttempts times,
    // and the component is told so it can say why the upload waits.
    maxBusyAttempts: 24,

    send(zone, url, fields, dotnet) {
        return new Promise(resolve => {
            const attempt = n => {
                const form = new FormData();
                for (const file of zone.weightShareFiles || []) {
                    form.append('file', file, file.name);
                }
                for (const [name, value] of Object.entries(fields || {})) {
                    form.append(name, value);
                }
                const request = new XMLHttpRequest();
                request.open('POST', url);
                let last = 0;
                request.upload.onprogress = e => {
                    const now = Date.now();
                    if (e.lengthComputable && (now - last > 150 || e.loaded === e.total)) {
                        last = now;
                        dotnet.invokeMethodAsync('OnProgress', e.loaded, e.total);
                    }
                };
                request.onload = () => {
                    const wait = parseInt(request.getResponseHeader('Retry-After') || '', 10);
                    if (request.status === 429 && wait >= 0 && n < this.maxBusyAttempts) {
                        dotnet.invokeMethodAsync('OnBusy', wait, n + 1);
                        setTimeout(() => attempt(n + 1), wait * 1000);
                        return;
                    }
                    resolve({ status: request.status, body: request.responseText });
                };
                request.onerror = () => resolve({ status: 0, body: '' });
                request.send(form);
            };
            attempt(1);
        });
    },
};
